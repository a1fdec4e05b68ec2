// Setup file of every test file (vitest.config.mts): the process's Temporal runtime comes first (./runtime.ts).
import { ensureTestRuntime } from './runtime';

await ensureTestRuntime();
