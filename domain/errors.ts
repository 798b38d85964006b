/**
 * The error catalogue lives in `errorCatalogue.ts`; this module keeps the names the domain, the sources and the
 * importer already import.
 */
export { CodedError, ErrorCode, ValidationError, errors, isClientSafeCode, refuse, type RuleId } from './errorCatalogue';
