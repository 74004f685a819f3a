// Worker entry: the fuzz worker is TypeScript, run through tsx as the tests are.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
