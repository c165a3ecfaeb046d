/** Runs the measurement files in tests/bench (not timed tests): `npx vitest run -c tests/bench/vitest.measure.config.ts`. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['tests/bench/**/*.measure.ts'], testTimeout: 3_600_000 },
});
