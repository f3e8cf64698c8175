import { expect, it } from 'vitest';
import { beginWork, runningWork, trackWork } from '../../../src/lib/state/busy.svelte';

it('lists begun work until it ends, and tracked work while its label is set', async () => {
  const end = beginWork('training run');
  let label: string | null = null;
  const stop = trackWork(() => label);
  await Promise.resolve();
  expect(runningWork()).toEqual(['training run']);
  label = 'import of “heart.csv”';
  expect(runningWork()).toEqual(['training run', 'import of “heart.csv”']);
  end();
  end(); // a second call changes nothing
  expect(runningWork()).toEqual(['import of “heart.csv”']);
  stop();
  expect(runningWork()).toEqual([]);
});
