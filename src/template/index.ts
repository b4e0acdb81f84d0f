export { createTemplater, isTemplated, OMIT, type Templater } from './templater.js';
export {
  isTemplateError, taskArgErrorMessage, TemplateRenderError, TemplateSyntaxError, TemplateUndefinedError,
} from './errors.js';
export { firstFound } from './first-found.js';
export { loopLookup, lookupTerms } from './loop-lookups.js';
export { templatingAhead } from './command-lookups.js';
export { findInSearchPath, searchCandidates } from './search-path.js';
export { isUnsafe, markUnsafe, plainData, settleUnsafe, UnsafeText } from './unsafe.js';
