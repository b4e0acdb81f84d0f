export { createTemplater, isTemplated, OMIT, type Templater } from './templater.js';
export {
  isTemplateError, taskArgErrorMessage, TemplateRenderError, TemplateSyntaxError, TemplateUndefinedError,
} from './errors.js';
export { isUnsafe, markUnsafe, plainData, settleUnsafe, UnsafeText } from './unsafe.js';
