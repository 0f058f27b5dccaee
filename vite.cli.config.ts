import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The command line as one Node bundle in out/cli, dependencies included: out/ is the shipped app.
export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'src/cli/index.ts'),
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'index.js' } },
  },
  ssr: { noExternal: true, target: 'node' },
});
