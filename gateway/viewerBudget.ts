import type { RequestHandler, Response } from 'express';
import type { RuleId } from '../domain/errorCatalogue';
import type { Viewer } from '../lib/auth';
import { callerPolicy } from './callerPolicy';
import { edgeLocals, refuse } from './edge';
import { estimatedCostOf } from './limits';

/**
 * What one viewer may spend on the graph, so that one court's user cannot crowd out every other court: requests
 * running at once (more wait their turn, as many again; beyond that they are refused), requests per minute and
 * estimated cost per minute (HTTP 429, code RATE_LIMITED, `rule` names the budget, `Retry-After` says when to try
 * again). Runs after the operation limits, which estimate each request's cost.
 * What a subgraph's time-out means for the shared circuit breaker also depends on the request's demand, kept here.
 */
export interface ViewerBudgetSettings {
  /**
   * Requests of one viewer run at once (MAX_CONCURRENT_PER_VIEWER); as many more wait for a turn, and a request beyond
   * those is refused.
   */
  maxConcurrent: number;
  /** Requests of one viewer per minute (RATE_PER_VIEWER_PER_MINUTE). */
  requestsPerMinute: number;
  /** Estimated cost one viewer may spend per minute (VIEWER_COST_PER_MINUTE). */
  costPerMinute: number;
  /**
   * A request estimated above this cost (HEAVY_REQUEST_COST) that times out has failed by its own size: the time-out
   * is not counted against the subgraph's circuit breaker, which every viewer shares.
   */
  heavyRequestCost: number;
}

export const DEFAULT_VIEWER_BUDGET: ViewerBudgetSettings = {
  maxConcurrent: 8,
  requestsPerMinute: 600,
  costPerMinute: 2_000_000,
  heavyRequestCost: 40_000,
};

/** What the subgraph transport learns of the request a fetch belongs to (on the Apollo context as `demand`). */
export interface RequestDemand {
  /** The operation's estimated cost (gateway/limits.ts). */
  cost: number;
  /**
   * A time-out of this request is its own failure, not the subgraph's: it is heavy (estimated above
   * HEAVY_REQUEST_COST), its viewer had spent more than half its cost budget of the minute when it was admitted, or
   * it is the product's own service pass (which pages the province).
   */
  ownsTimeouts: boolean;
}

/** A budget refilled continuously: `capacity` per minute, starting full. */
class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.capacity) / 60_000);
    this.at = now;
  }

  /** Milliseconds until `amount` is available (0: now); a request larger than the whole budget waits for a full one. */
  wait(amount: number, now: number): number {
    this.refill(now);
    const need = Math.min(amount, this.capacity);
    return need <= this.tokens ? 0 : Math.ceil(((need - this.tokens) * 60_000) / this.capacity);
  }

  take(amount: number): void {
    this.tokens -= Math.min(amount, this.capacity);
  }

  /** The share of the budget spent (0 = full budget left). */
  spent(now: number): number {
    this.refill(now);
    return 1 - this.tokens / this.capacity;
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }
}

type Admission =
  | { admitted: true; demand: RequestDemand; turn: Promise<void>; release: () => void }
  | { admitted: false; rule: RuleId; message: string; retryAfterMs: number };

/** A refusal by one of the catalogued budget rules (code RATE_LIMITED). */
const overBudget = (rule: 'VIEWER_CONCURRENCY' | 'VIEWER_REQUEST_RATE' | 'VIEWER_COST_BUDGET', message: string, retryAfterMs: number) =>
  ({ admitted: false, rule, message, retryAfterMs }) as const;

interface ViewerSpend {
  /** Requests holding a turn (running at the gateway or its subgraphs). */
  inFlight: number;
  /** Requests waiting for a turn, first come first served. */
  waiting: (() => void)[];
  requests: Bucket;
  cost: Bucket;
}

const viewerKey = (v: Viewer) => `${v.court}\u0000${v.sub}`;

/** The per-viewer budgets of one gateway (state lives in the gateway instance, never at module level). */
export class ViewerBudgets {
  private readonly viewers = new Map<string, ViewerSpend>();

  constructor(
    readonly settings: ViewerBudgetSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits a request of `cost` for a viewer, or says which budget refuses it and when to retry. An admitted request is
   * charged at once, then holds one of its viewer's turns (after waiting for one, when all are taken) until `release`
   * is called; `release` also withdraws a request still waiting.
   */
  admit(viewer: Viewer, cost: number): Admission {
    const now = this.now();
    const spend = this.spendOf(viewer, now);
    const s = this.settings;
    if (spend.inFlight >= s.maxConcurrent && spend.waiting.length >= s.maxConcurrent) {
      return overBudget(
        'VIEWER_CONCURRENCY',
        `at most ${s.maxConcurrent} requests of one viewer run at once and ${s.maxConcurrent} more wait; wait for one to finish`,
        1000,
      );
    }
    const rateWait = spend.requests.wait(1, now);
    if (rateWait > 0) {
      return overBudget('VIEWER_REQUEST_RATE', `at most ${s.requestsPerMinute} requests of one viewer per minute`, rateWait);
    }
    const costWait = spend.cost.wait(cost, now);
    if (costWait > 0) {
      return overBudget(
        'VIEWER_COST_BUDGET',
        `one viewer's operations may cost at most ${s.costPerMinute} per minute (this one is estimated at ${cost})`,
        costWait,
      );
    }
    const ownsTimeouts = cost > s.heavyRequestCost || spend.cost.spent(now) > 0.5;
    spend.requests.take(1);
    spend.cost.take(cost);
    let state: 'waiting' | 'running' | 'done' = 'waiting';
    let resolveTurn: () => void = () => {};
    const turn = new Promise<void>((resolve) => (resolveTurn = resolve));
    const start = () => {
      state = 'running';
      resolveTurn();
    };
    if (spend.inFlight < s.maxConcurrent) {
      spend.inFlight++;
      start();
    } else spend.waiting.push(start);
    return {
      admitted: true,
      demand: { cost, ownsTimeouts },
      turn,
      release: () => {
        if (state === 'done') return;
        if (state === 'waiting') {
          spend.waiting.splice(spend.waiting.indexOf(start), 1);
          state = 'done';
          return;
        }
        state = 'done';
        // The turn passes to the next request waiting, if any.
        const next = spend.waiting.shift();
        if (next) next();
        else spend.inFlight--;
      },
    };
  }

  private spendOf(viewer: Viewer, now: number): ViewerSpend {
    const key = viewerKey(viewer);
    let spend = this.viewers.get(key);
    if (!spend) {
      if (this.viewers.size >= 10_000) this.forgetIdle(now);
      spend = {
        inFlight: 0,
        waiting: [],
        requests: new Bucket(this.settings.requestsPerMinute, now),
        cost: new Bucket(this.settings.costPerMinute, now),
      };
      this.viewers.set(key, spend);
    }
    return spend;
  }

  /** Viewers with nothing in flight and full budgets are forgotten: they would start afresh anyway. */
  private forgetIdle(now: number): void {
    for (const [key, spend] of this.viewers) {
      if (spend.inFlight === 0 && spend.requests.full(now) && spend.cost.full(now)) this.viewers.delete(key);
    }
  }
}

interface DemandLocals {
  demand?: RequestDemand;
}

/**
 * The Express step: a client request over one of its viewer's budgets is refused with 429 RATE_LIMITED before Apollo
 * or any subgraph sees it. The product's own service pass is exempt (as it is from the volume limits) and owns its
 * time-outs.
 */
export function enforceViewerBudget(budgets: ViewerBudgets): RequestHandler {
  return (_req, res, next) => {
    const locals = edgeLocals(res);
    const cost = estimatedCostOf(res) ?? 0;
    if (!callerPolicy(locals.caller).volumeLimits || !locals.viewer) {
      (res.locals as DemandLocals).demand = { cost, ownsTimeouts: true };
      return next();
    }
    const verdict = budgets.admit(locals.viewer, cost);
    if (!verdict.admitted) {
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))));
      return refuse(res, 429, 'RATE_LIMITED', verdict.message, { rule: verdict.rule });
    }
    (res.locals as DemandLocals).demand = verdict.demand;
    res.once('finish', verdict.release);
    res.once('close', verdict.release);
    void verdict.turn.then(() => {
      if (!res.writableEnded && !res.destroyed) next();
    });
  };
}

/** The request's demand for the Apollo context (`{ demand }`), as the step above admitted it. */
export function demandOf(res: Response): { demand?: RequestDemand } {
  const demand = (res.locals as DemandLocals).demand;
  return demand ? { demand } : {};
}

/** The demand of the request an Apollo context belongs to, if the edge recorded one. */
export function requestDemand(context: unknown): RequestDemand | undefined {
  return (context as DemandLocals | undefined)?.demand;
}
