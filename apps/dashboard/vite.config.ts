import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/ and served by the API at /dashboard (same origin as /graphql).
// `npx nx run @quorum/dashboard:dev` serves it with hot reload against an API on :4000.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  // No source maps in the build: the API serves dist/ as it is, to anyone.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    port: 5173,
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
