import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The command line as a Node bundle in out/cli, dependencies included (out/ is the shipped app), with
// the worker threads' entry beside it: src/core/workers/pool.ts starts `./pipeline-worker.js`.
export default defineConfig({
  build: {
    ssr: true,
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'src/cli/index.ts'),
        'pipeline-worker': resolve(import.meta.dirname, 'src/core/workers/worker.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
