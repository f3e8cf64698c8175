/**
 * Serves a built Vite app with `vite preview` for a benchmark, and waits
 * until it answers. Shared by the import and training benchmarks.
 */
import { spawn } from 'node:child_process';

/**
 * Starts `vite preview` on 127.0.0.1:`port` (`extraArgs`, e.g. `--config`, passed on).
 * @returns the base URL and a `stop()` that ends the server's process group.
 */
export async function startPreview(root, port, extraArgs = []) {
  const server = spawn('npx', ['vite', 'preview', ...extraArgs, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: 'ignore',
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    base,
    stop() {
      try {
        process.kill(-server.pid);
      } catch {
        /* already gone */
      }
    },
  };
}
