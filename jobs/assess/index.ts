/**
 * The assessment pass (`npm run assess`, and `npm start` after start-up): a client of the gateway that rebuilds the
 * coordination subgraph's read models, the court-load snapshot and the assessment index, in coordination's own file.
 */
export { assessProvince, openAssessmentStore } from './province';
export { buildAssessmentIndex, snapshotCourtLoads, type BuildOptions } from './buildIndex';
export { followChanges, refreshAssessmentIndex, type RefreshOptions } from './refresh';
