import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The vendor panel. Built by scripts/build-panel.mjs (`npm run build:panel`, and `npm start` when the
// build is missing or older than the sources) into panel/dist, which Vortex serves at `/`.
// JSX is transformed by Vite's own oxc transform (React's automatic runtime): no plugin needed.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Vortex's CSP allows no inline scripts: keep every script a file.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // React Router and Mantine mark their modules "use client" (for server components): meaningless in a bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
      output: {
        codeSplitting: {
          // Only what a group's test names goes into it: with dependencies pulled along, React (a
          // dependency of Recharts) would land in the charts chunk and every page would load the charts.
          includeDependenciesRecursively: false,
          groups: [
            { name: 'charts', test: /node_modules[\\/](recharts|d3-|victory|@mantine[\\/]charts)/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite panel` during development: the API of a Vortex on :3000.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
