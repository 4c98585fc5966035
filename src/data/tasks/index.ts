// Public surface of the built-in task suite.
export { generateTasks, generateLowResource, buildTask, taskProgram, splitOf, structureOf, isHeldOutStructure, heldOutStructures, SPLITS, type Task, type Split, type GenerateOptions, type LowResourceOptions } from './generate.js';
export { formatDoc, docComment, uncomment, DOC_INDENT, type Doc } from '../../doc/index.js';
export { FAMILIES, STYLES } from './templates.js';
export type { Ty, Value } from './values.js';
export type { TestCase } from './render.js';
