/**
 * Files opened with the installed app from the desktop (File Handling API, feature-detected):
 * a CSV becomes a new Dataset cell in the open notebook and is imported there; a Labbook
 * archive (backup or notebook export) goes to the backup restore; any other zip is imported
 * as a model bundle, as on the Models page.
 */
import { classifyLaunchFile, zipEntryNames } from '../core/backup';
import type { AppState } from './app.svelte';

/** Resolves once the app has opened its notebooks. */
function whenReady(app: AppState): Promise<void> {
  return new Promise((resolve) => {
    const stop = $effect.root(() => {
      $effect(() => {
        if (!app.ready) return;
        resolve();
        queueMicrotask(() => stop());
      });
    });
  });
}

/** Routes each launched file; problems are shown as the app's message, nothing is half-stored. */
export async function openLaunchedFiles(app: AppState, files: readonly File[]): Promise<void> {
  await whenReady(app);
  for (const file of files) {
    const kind = await classifyLaunchFile(file, () => zipEntryNames(file));
    if (kind === 'csv') {
      const notebook = app.notebook;
      if (!notebook) {
        app.message = `Open a notebook, then import “${file.name}” from a Dataset cell.`;
        continue;
      }
      const cell = notebook.addCell('dataset');
      await app.importFor(cell.id).start(file, {});
    } else if (kind === 'labbook-archive') {
      // The backup state shows its progress and outcome (or refusal) where restores are shown.
      await app.backup.open(file);
    } else if (kind === 'model-bundle') {
      const outcome = await app.records.importBundle(file);
      if (outcome.ok) {
        void app.refreshStorage();
        app.openModelVersion(outcome.version.id);
      } else app.message = outcome.message;
    } else {
      app.message = `Labbook opens .csv and .zip files; “${file.name}” is neither.`;
    }
  }
}

/** Starts taking files the installed app is opened with (no-op where the API is missing). */
export function startLaunchQueue(app: AppState): void {
  const queue = globalThis.window?.launchQueue;
  if (!queue) return;
  queue.setConsumer((params) => {
    if (params.files.length === 0) return;
    void Promise.all(params.files.map((h) => h.getFile()))
      .then((files) => openLaunchedFiles(app, files))
      .catch((err: unknown) => {
        app.message = `The opened file could not be read: ${err instanceof Error ? err.message : String(err)}`;
      });
  });
}
