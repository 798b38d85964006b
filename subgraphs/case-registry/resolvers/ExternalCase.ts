import { CASE_TYPES } from '../../../domain/caseNumber';
import { PROVINCE_ABBREVIATIONS, type ProvinceAbbreviation } from '../../../domain/courtCode';
import type { ExternalCaseResolvers } from '../generated/resolvers-types';

export const ExternalCase: ExternalCaseResolvers = {
  provinceName: (c) => PROVINCE_ABBREVIATIONS[c.province as ProvinceAbbreviation],
  courtCode: (c) => c.court_code,
  courtName: (c) => c.court_name,
  type: (c) => CASE_TYPES[c.type_code],
  filedAt: (c) => c.filed_at,
  closedAt: (c) => c.closed_at,
  amountDue: (c) => c.amount_due,
};
