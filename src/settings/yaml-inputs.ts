// The inputs written in YAML (checks, stages), read with the yaml package: one module, loaded only
// when one of them is given (dist/ keeps it in a file of its own).
export { readCheckList } from '../health/checks-input.ts';
export { readStageList } from './stages-input.ts';
