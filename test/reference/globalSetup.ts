/**
 * Creates the Python reference venv once, before any test worker starts, so
 * parallel test files never race to build it.
 */
import { referencePython } from './python.js';

export default function setup(): void {
  referencePython();
}
