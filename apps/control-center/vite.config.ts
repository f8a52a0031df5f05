import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Relative base: the gateway serves dist/ at `/`, but relative asset URLs keep the build servable from any prefix.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
