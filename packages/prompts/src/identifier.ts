/**
 * A variable (and any other template identifier): letters, digits and `_`, not starting with a
 * digit. The sandbox holds every name in a template to this, so no name can smuggle quotes or
 * code into the JavaScript that Nunjucks generates.
 *
 * @example
 * IDENTIFIER.test('document_title'); // true
 */
export const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
