/**
 * The error catalogue: every code a client may meet, and every rule a refusal names, with its code and meaning.
 * It is the only way to make a coded error (mercurius' `createError(code, template)` is the model): the domain, the
 * sources and the importer throw the plain errors made here, one place at the subgraph boundary
 * (`lib/graphqlErrors.ts`) turns them into GraphQL errors, and the gateway's client policy is `isClientSafeCode`.
 * `docs/errors.md` is generated from this file (`npm run docs:errors`). No graphql import: this is domain code.
 */

/** Where a code is produced: by a subgraph's rules, by the gateway's edge, or by the GraphQL engine itself. */
export type CodeOrigin = 'domain' | 'subgraph' | 'gateway' | 'engine';

interface CodeEntry {
  /** What the code tells a client, for docs/errors.md. */
  meaning: string;
  origin: CodeOrigin;
  /**
   * Whether the product writes the message itself, so a client may read it. An error with any other code (an
   * unexpected exception, whose message may carry a stack or an address) reaches a client masked.
   */
  clientSafe: boolean;
}

export const CODES = {
  BAD_USER_INPUT: { origin: 'domain', clientSafe: true, meaning: 'Malformed input: `field` names the input, `rule` the rule it broke.' },
  NOT_FOUND: {
    origin: 'domain',
    clientSafe: true,
    meaning: 'A well-formed request names a record that does not exist (a case, a court, a measure, a transfer).',
  },
  FORBIDDEN: {
    origin: 'domain',
    clientSafe: true,
    meaning: "The record or the action lies outside the viewer's court scope or authority; a field answers null beside it.",
  },
  CONFLICT: {
    origin: 'domain',
    clientSafe: true,
    meaning: "The request is well formed but the records' state refuses it (a case already moved, a measure lapsed, a key reused).",
  },
  UNAUTHENTICATED: {
    origin: 'gateway',
    clientSafe: true,
    meaning: "No valid token: the gateway (or a subgraph, for the gateway's token) refuses the request.",
  },
  SOURCE_UNAVAILABLE: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'A subgraph (named in `serviceName`) could not be reached, or did not supply facts a field needs.',
  },
  SOURCE_ERROR: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'A subgraph answered with an unexpected error; its details stay in its logs.',
  },
  SOURCE_TIMEOUT: { origin: 'gateway', clientSafe: true, meaning: 'A subgraph did not answer within its time-out.' },
  SOURCE_CIRCUIT_OPEN: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'A subgraph kept failing; the gateway pauses calls to it and lets a probe through later.',
  },
  ASSESSMENT_INDEX_NOT_BUILT: {
    origin: 'subgraph',
    clientSafe: true,
    meaning:
      'The assessment index (or its court-load snapshot) has not been built yet: run `npm run assess`; `npm start` builds it after start-up.',
  },
  OPERATION_LIMIT: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'The operation exceeds a limit (depth, cost, list size, tokens, aliases, directives): `rule` names it.',
  },
  RATE_LIMITED: {
    origin: 'gateway',
    clientSafe: true,
    meaning:
      "Too many requests, or too much at once, from one viewer: the gateway's budgets (HTTP 429, retry after `Retry-After` seconds) or the case registry's identifier look-up rate (wait a minute); `rule` names which.",
  },
  OUTCOME_UNKNOWN: {
    origin: 'gateway',
    clientSafe: true,
    meaning:
      "A mutation's subgraph did not answer within the mutation time-out: the write may or may not have happened. Retrying with the same `idempotencyKey` is safe: it writes at most once and returns the first result.",
  },
  PAYLOAD_TOO_LARGE: { origin: 'gateway', clientSafe: true, meaning: 'The request body is larger than the gateway accepts (HTTP 413).' },
  BATCHING_NOT_ALLOWED: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'The request body is a batch (a JSON array); send one operation per request.',
  },
  PERSISTED_QUERY_NOT_IN_LIST: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'With trusted documents on, the operation is not in the registered list.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    origin: 'engine',
    clientSafe: true,
    meaning: 'Apollo Server: an automatic persisted query hash it does not know.',
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    origin: 'engine',
    clientSafe: true,
    meaning: 'Apollo Server: automatic persisted queries are off (trusted documents replace them).',
  },
  BAD_REQUEST: {
    origin: 'engine',
    clientSafe: true,
    meaning: 'The HTTP request is not a GraphQL request (no query, body not JSON, a service token without the operation text).',
  },
  GRAPHQL_PARSE_FAILED: { origin: 'engine', clientSafe: true, meaning: 'The operation text does not parse.' },
  GRAPHQL_VALIDATION_FAILED: { origin: 'engine', clientSafe: true, meaning: 'The operation does not validate against the schema.' },
  OPERATION_RESOLUTION_FAILURE: {
    origin: 'engine',
    clientSafe: true,
    meaning: 'The document holds several operations and the request names none (or an unknown one).',
  },
  OPERATION_TYPE_NOT_SUPPORTED: {
    origin: 'gateway',
    clientSafe: true,
    meaning: 'The operation is a subscription: the graph serves queries and mutations over HTTP, and has no subscriptions.',
  },
  INTERNAL_SERVER_ERROR: {
    origin: 'engine',
    clientSafe: false,
    meaning: 'An unexpected failure (a defect): the client sees only "internal error"; the details stay in the logs.',
  },
  SOURCE_BUSY: {
    origin: 'subgraph',
    clientSafe: true,
    meaning:
      "A write was refused because another writer held the system database's lock longer than `STORE_BUSY_TIMEOUT_MS`: nothing was written, the attempt is audited, and a retry with the same `idempotencyKey` is safe.",
  },
  SOURCE_NOT_WRITABLE: {
    origin: 'subgraph',
    clientSafe: true,
    meaning:
      "A write was refused because the system database cannot be written (a read-only file or data directory, a full disk, an I/O error): nothing was written; the subgraph's log has the attempt and `/health/ready` reports the store.",
  },
} as const satisfies Record<string, CodeEntry>;

export type Code = keyof typeof CODES;
type ClientCode = { [K in Code]: (typeof CODES)[K]['clientSafe'] extends true ? K : never }[Code];

/**
 * The codes a client may meet with the product's own message. Clients branch on `extensions.code`; messages may be
 * reworded, codes may not.
 */
export const ErrorCode = Object.fromEntries(
  Object.entries(CODES)
    .filter(([, entry]) => entry.clientSafe)
    .map(([code]) => [code, code]),
) as { readonly [K in ClientCode]: K };
export type ErrorCode = ClientCode;

/** The gateway's client policy: an error whose code is here keeps its message; any other is masked. */
export const CLIENT_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export function isClientSafeCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/** Where a rule is checked: on a request to the graph, on a row of an import file, or at the gateway's edge. */
export type RuleOrigin = 'graph' | 'import' | 'gateway';

interface RuleEntry {
  code: Code;
  origin: RuleOrigin;
  meaning: string;
}

const input = (meaning: string) => ({ code: 'BAD_USER_INPUT', origin: 'graph', meaning }) as const;
const row = (meaning: string) => ({ code: 'BAD_USER_INPUT', origin: 'import', meaning }) as const;
const refused = <C extends Code>(code: C, meaning: string) => ({ code, origin: 'graph', meaning }) as const;
const limit = (meaning: string) => ({ code: 'OPERATION_LIMIT', origin: 'gateway', meaning }) as const;
const viewerBudget = (meaning: string) => ({ code: 'RATE_LIMITED', origin: 'gateway', meaning }) as const;

/**
 * Every rule a refusal can name (`extensions.rule`, and the `rule` of an import report's row error), with the code it
 * answers with. A rule keeps its id forever; a retired rule is removed only with a note in the changelog.
 */
export const RULES = {
  // Identifiers (GB 11643-1999, GB 32100-2015) and the court's own numbers.
  RESIDENT_ID_LENGTH: input('A resident ID number has 18 characters (15-digit first-generation numbers are given in their 18-digit form).'),
  RESIDENT_ID_CHARSET: input('A resident ID number is 17 digits followed by a digit or X.'),
  RESIDENT_ID_ADDRESS: input('The first two digits of a resident ID number are a province-level address code.'),
  RESIDENT_ID_BIRTH_DATE: input('Digits 7-14 of a resident ID number are a valid past birth date.'),
  RESIDENT_ID_CHECKSUM: input('The check character of a resident ID number (ISO 7064 MOD 11-2) does not match.'),
  CREDIT_CODE_LENGTH: input('A unified social credit code has 18 characters.'),
  CREDIT_CODE_CHARSET: input('A unified social credit code uses digits and A-Z without I, O, S, V, Z.'),
  CREDIT_CODE_AUTHORITY: input(
    'Character 1 of a unified social credit code is a registration management department code of GB 32100-2015 (1-9, A, N, Y).',
  ),
  CREDIT_CODE_CATEGORY: input(
    "Character 2 of a unified social credit code is an organisation category of its registration department (GB 32100-2015's table, e.g. 1 企业, 2 个体工商户, 3 农民专业合作社 under 9 工商).",
  ),
  CREDIT_CODE_DIVISION: input('Characters 3-8 of a unified social credit code are a six-digit division code led by a province code.'),
  CREDIT_CODE_ORG_CHECK: input(
    'Characters 9-17 of a unified social credit code are an organisation code (GB 11714) whose ninth character checks the first eight.',
  ),
  CREDIT_CODE_CHECKSUM: input('The check character of a unified social credit code (GB 32100-2015, mod 31) does not match.'),
  IDENTIFIER_LENGTH: input('A debtor identifier is an 18-character unified social credit code or resident ID number.'),
  OFFICER_ID_FORMAT: input('An officer identifier is OF followed by six digits (a lookup takes 1 to 64 characters).'),
  PROPERTY_ID_FORMAT: input('A property identifier is 1 to 64 characters.'),
  CASE_NUMBER_FORMAT: input('A case number is (year) court code, type code, sequence and 号, e.g. (2024)川0105执1234号.'),
  CASE_TYPE_CODE: input('The type code of a case number is an enforcement type code (执, 执恢, 执保, 执异, 执复, 执监, 执协, 执他).'),
  CASE_NUMBER_YEAR: input("A case number's year lies between 1990 and the current year."),
  CASE_NUMBER_HISTORICAL_YEAR: input(
    'The pre-2016 form (2015)青羊执字第123号 is a number of 2015 or before: it was replaced on 2016-01-01.',
  ),
  CASE_NUMBER_SEQUENCE: input('The sequence of a case number is a positive integer up to 999999 without leading zeros.'),
  COURT_CODE_PROVINCE: input('A court code starts with 川: this graph covers Sichuan.'),
  COURT_CODE_FORMAT: input(
    'A court code is 川 (high court), 川 + 2 digits (intermediate) or 川 + 4 digits (basic), of a division that exists.',
  ),
  EXTERNAL_COURT_PROVINCE: input(
    "An external court's code starts with another province's abbreviation (鲁, 粤, 渝, … of the 31): a 川 court is the province's own.",
  ),
  EXTERNAL_CASE_STAYS: refused(
    'CONFLICT',
    "A related case in another province's court (an external case) is recorded as evidence only: a Sichuan decision never moves it.",
  ),
  COURT_UNKNOWN: refused('NOT_FOUND', 'The court code is well formed but the province has no such court.'),
  UNKNOWN_PREFECTURE: input('A prefecture filter is an intermediate-court code such as 川01 or a name such as 成都市.'),
  MONEY_FORMAT: input('An amount is a yuan string: digits with at most two decimal places, no sign or separators (never a float).'),
  DATE_FORMAT: input('A date is a string YYYY-MM-DD naming a real calendar day.'),
  VARIABLE_REQUIRED: input('A variable of a required (non-null) type without a default is given a value.'),
  VARIABLE_VALUE: input(
    "A variable's value is of its declared type: an Int an integer, an enum value one of the enum's, an input object only the fields it has and every required one.",
  ),

  // Queries: lists, pages and filters.
  FIRST_RANGE: input("`first` lies between 1 and the field's page maximum."),
  CURSOR_FORMAT: input('`after` is a cursor this query returned (pageInfo.endCursor), passed unchanged.'),
  LIST_TOO_LONG: input('Too many identifiers in one query.'),
  TEXT_TOO_LONG: input('A text input (a search name, a reason, a method, a filter) is longer than its documented maximum.'),
  IDENTIFIER_LOOKUP_RATE: refused(
    'RATE_LIMITED',
    'A court viewer looked up more distinct debtor identifiers in the last minute than IDENTIFIER_LOOKUPS_PER_MINUTE allows.',
  ),
  NAME_TOO_SHORT: input('A name search gives at least two characters once spaces, punctuation and company-form suffixes are removed.'),
  DATE_RANGE: input("`to` is not before `from` (import: a date lies between the case's filing and today)."),
  UNKNOWN_RULE: input('A selection-rule id (a transfer reason, a candidate filter) is not one of the configured rules.'),
  CASE_CATEGORY: input("A rebalancing plan's `caseType` is a case category name."),
  MAX_CASES_RANGE: input("A rebalancing plan's `maxCases` lies between 1 and its maximum."),
  REBALANCE_COURTS: input(
    'A rebalancing plan names its sending courts once: `fromCourt` or `fromCourts` (not both, not neither), 1 to its maximum distinct courts of one level.',
  ),

  // Transfer decisions and their supervision.
  CASES_REQUIRED: input('A decision names at least one case.'),
  TOO_MANY_CASES: input('A decision covers at most its maximum number of cases.'),
  DUPLICATE_CASE: input('A case is named twice (in one decision, or by two decisions of one request).'),
  CASE_NOT_FOUND: refused('NOT_FOUND', 'A case named is not in the registry.'),
  DECIDING_COURT_LEVEL: input('Only a higher (high or intermediate) court decides a transfer.'),
  DECIDING_COURT_NOT_ABOVE: refused(
    'FORBIDDEN',
    'The deciding court is not above every court involved (the executing courts and the receiving court).',
  ),
  VIEWER_NOT_DECIDING_COURT: refused('FORBIDDEN', 'The viewer acts for another court than the deciding court it names.'),
  NO_RECEIVING_COURT_FOR_MODE: input('A deadline order keeps the case at its court: it names no receiving court.'),
  RECEIVING_COURT_REQUIRED: input('A mode that moves cases names the receiving court.'),
  ELEVATED_TO_DECIDING_COURT: input('In elevated execution the deciding higher court executes the cases itself.'),
  CENTRALIZED_ONE_DEBTOR: input('Centralized execution gathers cases that share an identified debtor.'),
  COLLABORATIVE_SEVERAL_COURTS: input('Collaborative execution coordinates cases of several courts.'),
  COORDINATOR_NOT_ABOVE: input(
    'Collaborative execution is coordinated by a court above every court whose case it covers (at least their lowest common superior).',
  ),
  DIRECTED_BELOW_DECIDING_COURT: input(
    'Directed execution orders a court below the deciding court (民诉法 Art. 237); the deciding court executing itself is ELEVATED.',
  ),
  NOT_AN_IMPLEMENTATION_CASE: input(
    'A review case (执异, 执复, 执监, 执协) is not an implementation case: a transfer decision names only 执, 执恢 and 执保 cases.',
  ),
  CRIMINAL_RESTITUTION_STAYS: refused(
    'CONFLICT',
    'A criminal restitution case (刑事裁判涉财产部分执行) is executed by the first-instance criminal court: a transfer does not move it.',
  ),
  SUPERVISOR_REQUIRED: input('The deciding court names the officer who supervises the decision.'),
  OFFICER_NOT_ON_ROSTER: input(
    "A decision's supervisor, an assigned supervisor and a supervision note's author are officers of the deciding (or, for a note, the acting) court on the personnel roster, as the registry last copied it.",
  ),
  ROSTER_NOT_COPIED: refused(
    'CONFLICT',
    'The registry has no copy of the personnel roster yet, so it cannot check that an officer belongs to the court; the roster job copies it.',
  ),
  REASON_REQUIRED: input('A decision gives the rule ids it rests on, or the reason in its note.'),
  NOTE_REQUIRED: input('A supervision note says what was done or found.'),
  NOTE_TOO_LONG: input('A note is at most 2000 characters.'),
  DEADLINE_NOT_AFTER_DECISION: input('A deadline lies after the decision day.'),
  CASE_ALREADY_MOVED: refused('CONFLICT', 'The case was already moved; decide on its continuation instead.'),
  CASE_CLOSED: refused('CONFLICT', 'The case is closed (or closed while the decision was being written).'),
  SAME_COURT: refused('CONFLICT', 'Directed execution names a case the receiving court already executes.'),
  NOTHING_TO_MOVE: refused('CONFLICT', 'Every case named is already executed by the receiving court.'),
  TRANSFER_NOT_FOUND: refused('NOT_FOUND', 'No transfer decision has that id.'),
  VIEWER_NOT_SUPERVISING_COURT: refused(
    'FORBIDDEN',
    "Only the deciding (supervising) court, or a court above it, acts on a decision's supervision.",
  ),
  SUPERVISION_CLOSED: refused('CONFLICT', 'Every case of the decision has closed, so its supervision is closed.'),

  // Control measures and disposal.
  MEASURE_NOT_FOUND: refused('NOT_FOUND', 'No control measure has that id.'),
  MEASURE_NOT_IN_SCOPE: refused('FORBIDDEN', "The measure was imposed by a court outside the viewer's scope, which may not change it."),
  CARRIER_GRANT_INVALID: refused(
    'FORBIDDEN',
    'A carrier grant (ControlMeasure.carrierGrant) that the registry did not sign, that has expired, or that names another measure or court does not let a court change a measure it did not impose.',
  ),
  MEASURE_RELEASED: refused('CONFLICT', 'The measure was released.'),
  MEASURE_WAITING: refused('CONFLICT', 'A waiting seizure (轮候查封) has no period to renew until it takes effect.'),
  MEASURE_LAPSED: refused(
    'CONFLICT',
    'The measure expired unrenewed and lost effect; a lapsed measure cannot be renewed, a new one is imposed.',
  ),
  RENEWAL_NOT_LATER: input('A renewal sets an expiry after the current one.'),
  RENEWAL_PERIOD_LIMIT: input(
    'A renewal runs at most the legal period for the kind of property (deposits 1 year, movables 2, real estate 3).',
  ),
  PROPERTY_NOT_FOUND: refused('NOT_FOUND', 'No property has that id.'),
  PROPERTY_NOT_IN_SCOPE: refused('FORBIDDEN', "No court in the viewer's scope holds a measure on the property."),
  PROPERTY_NOT_UNDER_CONTROL: refused('CONFLICT', 'No seal, seizure or freeze was in effect on the property on the day of the step.'),
  PROPERTY_ALREADY_DISPOSED: refused('CONFLICT', 'The property was already disposed of.'),
  DISPOSAL_ORDER: input(
    'Disposal steps follow the order reference price → first auction → second auction → sale or taking in payment (a bank deposit: one deduction).',
  ),
  DATE_IN_FUTURE: input('The date lies after today.'),
  DATE_BEFORE_PREVIOUS_STEP: input('A disposal step is not dated before the previous one.'),
  REFERENCE_METHOD: input('The reference-price step names its method (议价, 询价, 网络询价, 委托评估); other steps name none.'),
  METHOD_NOT_APPLICABLE: input('Only the reference-price step names a method.'),
  PRICE_REQUIRED: input('Every disposal step states a price above zero.'),
  STEP_OUTCOME: input('Only auctions fail (流拍); other steps are recorded once done.'),
  FIRST_AUCTION_PRICE_FLOOR: input("The first auction's reserve is at least 70% of the reference price."),
  SECOND_AUCTION_PRICE_CUT: input('The second auction cuts the first reserve by at most 20%.'),
  SALE_PRICE_FLOOR: input('A sale after a failed second auction is at no less than its reserve.'),
  TAKEN_IN_PAYMENT_PRICE: input("Taking in payment (以物抵债) is at the failed auction's reserve."),
  DEPOSIT_DEDUCTION: input(
    'A bank deposit is disposed of by deduction (划拨) alone, never by reference price and auction; only a bank deposit is deducted.',
  ),

  // Writes: idempotency.
  IDEMPOTENCY_KEY_FORMAT: input('An idempotency key is 8 to 128 characters of letters, digits and . _ : - (a UUID will do).'),
  IDEMPOTENCY_KEY_REUSED: refused(
    'CONFLICT',
    'The key was first used for a different request (other input, or another court); a new request takes a new key.',
  ),

  // Import files (reported per row, with the row and the field; nothing of a refused file is written).
  JSON: row('A line is not a JSON object.'),
  UNKNOWN_TYPE: row("The record's type is not one the system's file holds."),
  DUPLICATE_KEY: row("The row repeats an earlier row's record."),
  CONDUCT_NOT_ORDERED: row('A conduct progress event belongs to a case that orders conduct (conductOrdered).'),
  COMPLAINT_BEFORE_FILING: row('A complaint (信访) against a case is received on or after the day the case was filed.'),
  EXTERNAL_DEBTOR_UNKNOWN: row(
    'An external case links to a debtor by its identifier: a debtor of a case earlier in the file or already in the registry.',
  ),
  CASE_UNKNOWN: row('A case the row refers to is neither earlier in the file nor in the registry.'),
  CONTINUES_PRESERVATION: row(
    'Only an execution case (执) continues a preservation case (执保) (财产保全规定 Art. 17), and a resumed case (执恢) the 执 or 执恢 case it resumes.',
  ),
  CONTINUES_TERMINATED_THIS_ROUND: row('A resumed case (执恢) continues a case closed as 终本 (终结本次执行程序), which it resumes.'),
  CONTINUES_OR_TRANSFERRED: row('A case either continues a preservation case or was transferred from another, not both.'),
  EXCLUDED_PERIOD_ORDER: row('A period Art. 13 leaves out of the six months (执行程序若干问题的解释) does not end before it starts.'),
  EXCLUDED_PERIOD_OVERLAP: row(
    "A case's periods that do not count toward its six months do not overlap one another (a day is left out once).",
  ),
  SUPERVISING_COURT_ABOVE: row(
    'A supervision (督办) is by a court above the court executing the case (its intermediate court or the high court).',
  ),
  REQUIRED: row('The field is required.'),
  TYPE: row('The field has the wrong JSON type.'),
  TOO_LONG: row('The text is longer than the field allows.'),
  ENUM: row("The value is not one of the field's values."),
  INTEGER: row('The field is an integer at or above its minimum.'),
  NEGATIVE_AMOUNT: row('An amount is not negative.'),
  DIVISION_CODE: row('A division code is six digits.'),
  KIND_MATCHES_IDENTIFIER: row("A party's kind matches its identifier (credit code: legal person; ID number: natural person)."),
  HISTORICAL_NUMBER_COURT: row(
    'A row with a pre-2016 case number (which names its court by abbreviation) gives the court code in `court`.',
  ),
  COURT_MATCHES_NUMBER: row("A row's `court` is the court its case number names."),
  FILING_YEAR: row('A case numbered for a year is filed in that year.'),
  CLOSED_NEEDS_DATE_AND_CLOSURE: row('A closed case has its closing date and closure kind.'),
  OPEN_CASE_NOT_CLOSED: row('An open case has no closing date or closure kind.'),
  CLOSED_BEFORE_FILED: row('A case is not closed before it was filed.'),
  CONDUCT_HAS_NO_AMOUNT: row('A conduct obligation has no amount.'),
  REVIEW_CASE_NO_OBLIGATION: row(
    'A review case (执异, 执复, 执监, 执协, 执他) is heard, not executed: it has no amount due or recovered and orders no conduct; the amount is the implementation case’s.',
  ),
  REVIEW_CASE_NO_MEASURES: row(
    'A control measure belongs to an implementation case (执, 执恢, 执保): a review case (执异, 执复, 执监, 执协, 执他) imposes none.',
  ),
  RECOVERED_ABOVE_DUE: row('The amount recovered does not exceed the amount due.'),
  DEBTOR_REQUIRED: row('A case names at least one debtor.'),
  PROPERTY_UNKNOWN: row('The property is neither in the file nor in the database.'),
  WAITING_HAS_NO_PERIOD: row('A waiting seizure has no period until it takes effect.'),
  PERIOD_REQUIRED: row('A measure in effect has a period start and an expiry.'),
  PERIOD_BEFORE_IMPOSED: row('A period does not start before the measure was imposed.'),
  PERIOD_ORDER: row('A measure expires after its period starts.'),
  MEASURE_PERIOD_LIMIT: row('A period runs at most the legal period for the kind of property.'),
  RELEASED_BEFORE_IMPOSED: row('A measure is not released before it was imposed.'),
  ENCUMBRANCE_PROPERTY_KIND: row(
    'A mortgage lies on real estate, land-use rights, vehicles or other movables; a pledge on movables, deposits, equity, receivables or intellectual property.',
  ),
  ENCUMBRANCE_RANK_DUPLICATE: row('No two encumbrances on one property share a rank (in the file or with one recorded).'),
  SECURED_AMOUNT_ZERO: row('An encumbrance secures an amount above zero.'),

  // The gateway's operation limits (code OPERATION_LIMIT).
  MAX_DEPTH: limit('The operation is nested deeper than allowed.'),
  MAX_LIST_SIZE: limit('A list argument (`first`, `ids`) asks for more items than allowed per request.'),
  MAX_COST: limit(
    "The operation's estimated cost exceeds the limit (each field 1, each object 2, times the sizes of the lists it sits in).",
  ),
  MAX_TOKENS: limit('The operation has more tokens than allowed.'),
  MAX_ALIASES: limit('The operation uses more aliases than allowed.'),
  MAX_DIRECTIVES: limit('The operation uses more directives than allowed.'),

  // The store under a write (issue 13): the database itself refused, not the request.
  DATABASE_BUSY: refused('SOURCE_BUSY', "Another writer held the database's lock past the store's lock wait (`STORE_BUSY_TIMEOUT_MS`)."),
  DATABASE_NOT_WRITABLE: refused('SOURCE_NOT_WRITABLE', 'The database file, its -wal/-shm files or its directory cannot be written.'),
  // Each viewer's budgets at the gateway (code RATE_LIMITED, HTTP 429).
  VIEWER_CONCURRENCY: viewerBudget('The viewer already has as many requests in flight as one viewer may (MAX_CONCURRENT_PER_VIEWER).'),
  VIEWER_REQUEST_RATE: viewerBudget('The viewer sent more requests in the last minute than one viewer may (RATE_PER_VIEWER_PER_MINUTE).'),
  VIEWER_COST_BUDGET: viewerBudget(
    "The viewer's operations of the last minute, by estimated cost, used up one viewer's budget (VIEWER_COST_PER_MINUTE).",
  ),
} as const satisfies Record<string, RuleEntry>;

export type RuleId = keyof typeof RULES;
/** The code a rule answers with. */
export type CodeOf<R extends RuleId> = (typeof RULES)[R]['code'];

export function isRuleId(rule: unknown): rule is RuleId {
  return typeof rule === 'string' && Object.hasOwn(RULES, rule);
}

/**
 * A catalogued error: a code, a message the product wrote, and, for a refusal, the input field and the rule. Plain
 * (no graphql): the subgraph boundary turns it into a GraphQL error with `extensions {code, field?, rule?}` plus
 * `extensions`' own entries.
 */
export class CodedError extends Error {
  readonly code: Code;
  readonly field: string | undefined;
  readonly rule: RuleId | undefined;
  /** Further client-visible extensions (e.g. `serviceName`). */
  readonly extensions: Readonly<Record<string, string>>;

  constructor(code: Code, message: string, details: { field?: string; rule?: RuleId; extensions?: Record<string, string> } = {}) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
    this.field = details.field;
    this.rule = details.rule;
    this.extensions = details.extensions ?? {};
  }
}

/**
 * A refusal: which input field broke which catalogued rule. Its code is the rule's (the optional `code` argument
 * is kept for existing callers and must agree with the catalogue, which the types check); its message is
 * `field: detail`.
 */
export class ValidationError<R extends RuleId = RuleId> extends CodedError {
  declare readonly field: string;
  declare readonly rule: R;
  declare readonly code: CodeOf<R>;

  constructor(field: string, rule: R, detail: string, code?: CodeOf<R>) {
    // The types refuse an uncatalogued rule; a caller past them (a cast, plain JS) fails loudly here.
    if (!isRuleId(rule)) throw new Error(`rule ${String(rule)} is not in the error catalogue (domain/errorCatalogue.ts)`);
    super(code ?? RULES[rule].code, `${field}: ${detail}`, { field, rule });
    this.name = 'ValidationError';
  }
}

type Refusals = { readonly [R in RuleId]: (field: string, detail: string) => ValidationError<R> };

/**
 * One factory per rule: `refuse.CASE_CLOSED(field, detail)` makes the refusal with the rule's code. The detail
 * carries the facts of the case at hand (a date, a court), so it is written where the rule is checked.
 */
export const refuse = Object.fromEntries(
  (Object.keys(RULES) as RuleId[]).map((rule) => [rule, (field: string, detail: string) => new ValidationError(field, rule, detail)]),
) as Refusals;

/**
 * Coded errors that name no input rule, each with its message template (mercurius' `createError(code, '%s ...')`).
 */
export const errors = {
  /** A record (or a list) outside the viewer's court scope; the field itself answers null. */
  outOfScope: (what: string, viewerCourt: string) => new CodedError('FORBIDDEN', `${what} is outside the court scope of ${viewerCourt}`),
  /** A record a loader was asked for by a key that some other record holds, and which does not exist. */
  notFound: (what: string, key: string) => new CodedError('NOT_FOUND', `no ${what} ${key}`),
  /** The assessment pass has not yet written what a field reads. */
  assessmentIndexNotBuilt: (what: string) =>
    new CodedError(
      'ASSESSMENT_INDEX_NOT_BUILT',
      `${what} has not been built yet: run \`npm run assess\` (npm start builds it after start-up)`,
    ),
  /** A subgraph did not supply facts a field needs. */
  sourceUnavailable: (serviceName: string, detail: string) => new CodedError('SOURCE_UNAVAILABLE', detail, { extensions: { serviceName } }),
  /** A defect (the gateway did not honour a `@requires`, say): masked for clients, logged in full. */
  defect: (detail: string) => new CodedError('INTERNAL_SERVER_ERROR', detail),
  /** A scalar's value refused (no input field to name: the engine reports where it sits). */
  scalar: (rule: 'MONEY_FORMAT' | 'DATE_FORMAT', message: string) => new CodedError(RULES[rule].code, message, { rule }),
} as const;
