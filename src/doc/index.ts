// BatCoder's documentation format: how a doc is rendered (render.ts), how generated docs
// are scored and rewritten against it (filter.ts: R_doc in {0, 0.5, 1}), and the parameter
// names and signature line it is checked against (signature.ts). Depends on src/lang only.
export { DOC_INDENT, formatDoc, renderDoc, docComment, uncomment, type Doc, type DocArg, type DocParts } from './render.js';
export { checkDoc, looksLikeCode, type DocScore, type FormatResult, type FormatOptions } from './filter.js';
export { signatureOf, type Signature } from './signature.js';
