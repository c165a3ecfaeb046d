/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** The app's Content-Security-Policy: nothing may leave the machine (connect-src 'self'). */
const CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Puts the policy in index.html's meta tag. Vite's dev server injects component CSS as inline
 * <style>, so dev alone also allows inline styles.
 */
const cspMeta: Plugin = {
  name: 'dumpscrub-csp',
  transformIndexHtml(html, ctx) {
    const policy = ctx.server ? CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") : CSP;
    return html.replace('__CSP__', policy);
  },
};

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [svelte(), cspMeta],
  // The CLI build (--ssr) needs none of the web app's static files.
  publicDir: isSsrBuild ? false : 'public',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    assetsInlineLimit: 0,
    ssrEmitAssets: true,
  },
  // Served as a header too, so module workers (which ignore the page's meta tag) get the policy.
  preview: { headers: { 'Content-Security-Policy': CSP } },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
}));
