export { createTemplater, isTemplated, OMIT, removeOmitted } from './templater.js';
export { LazyMapping } from './pytypes.js';
export type { Condition, RenderFileOptions, Templater, TemplaterOptions, Vars } from './templater.js';
export {
  isTemplateError, taskArgErrorMessage, TemplateRenderError, TemplateSyntaxError, TemplateUndefinedError,
} from './errors.js';
export type { TemplateError, TemplateOrigin } from './errors.js';
export { parseAllPyYaml, parsePyYaml } from './pyyaml.js';
export { toPlainData } from './pyvalue.js';
export { isUnsafe, markUnsafe, plainData, settleUnsafe, UnsafeText } from './unsafe.js';
