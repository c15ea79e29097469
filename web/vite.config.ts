/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/**
 * The entry (src/main.ts) holds no React so it can start the first page's requests at once, and
 * imports the app dynamically. This lists the app's chunks (React, the pages) in index.html as
 * <link rel="modulepreload">: their download starts while the HTML is parsed and reaches the
 * server before the API requests. The chart code (uPlot, 50 kB) is one of them.
 */
function preloadChunks(entries: readonly string[]): Plugin {
  return {
    name: 'threatminer:preload-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx): HtmlTagDescriptor[] {
        const bundle = ctx.bundle;
        if (bundle === undefined) return [];
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const files = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file) || file === ctx.chunk?.fileName) return;
          files.add(file);
          for (const dep of chunks.find((c) => c.fileName === file)?.imports ?? []) visit(dep);
        };
        for (const entry of entries) {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(entry) === true);
          if (chunk === undefined) throw new Error(`preloadChunks: no chunk for ${entry}`);
          visit(chunk.fileName);
        }
        return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `/${file}` }, injectTo: 'head' }));
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), preloadChunks(['src/mount.tsx'])],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
    // .vite/manifest.json: bench:web reads from it which files the Overview's first load fetches.
    manifest: true,
    rollupOptions: {
      output: {
        // Libraries change rarely: own chunks, cached across app releases. The graph (sigma) is
        // big and loaded only by the page that uses it.
        manualChunks(id: string) {
          if (id.includes('node_modules/uplot') && !id.endsWith('.css')) return 'uplot';
          if (id.includes('node_modules/sigma') || id.includes('node_modules/graphology')) return 'graph';
          if (id.includes('node_modules/react')) return 'react';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/health': 'http://127.0.0.1:8080' } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
