/**
 * The latent roles behind every address: who they are (hidden from the export) decides how they
 * transact, and the transactions decide every exported column.
 *
 * Benign roles are chosen so that each illicit behaviour has a benign look-alike on every single
 * feature: payroll distributors burst like mules but pay the same people every month; fresh
 * wallets have unstable counterparties like mules but no bursts; merchants see amounts just under
 * reporting thresholds (price points such as $999) like structurers but in daytime; Asian-hours
 * wallets transact at UTC night like structurers but in ordinary amounts; bridges pass money
 * through like layerers. Only the combinations single out the illicit roles, which is what makes
 * the planted truth non-linear (sample-data/README.md describes it).
 */

/** Role ids (indexes into ROLES). Illicit roles come last (see ILLICIT_FROM). */
export const Role = {
  Retail: 0,
  Fresh: 1,
  Trader: 2,
  Whale: 3,
  Merchant: 4,
  Distributor: 5,
  Exchange: 6,
  Dex: 7,
  Validator: 8,
  Bridge: 9,
  Institutional: 10,
  Gambling: 11,
  Bot: 12,
  Mule: 13,
  Structurer: 14,
  Layerer: 15,
  Collector: 16,
  Mixer: 17,
  Cashout: 18,
} as const;

export const ROLE_COUNT = 19;
export const ILLICIT_FROM = Role.Mule;

export function isIllicitRole(role: number): boolean {
  return role >= ILLICIT_FROM;
}

/** Pools a sender draws its counterparties from. */
export const Pool = {
  Exchange: 0,
  Dex: 1,
  Merchant: 2,
  Retail: 3,
  Trader: 4,
  Gambling: 5,
  Validator: 6,
  Bridge: 7,
  Institutional: 8,
  Whale: 9,
  Collector: 10,
  Mixer: 11,
  Layerer: 12,
  Mule: 13,
  Cashout: 14,
  Fresh: 15,
} as const;
export const POOL_COUNT = 16;

export interface RoleSpec {
  name: string;
  /** Share of the population (Retail takes whatever the others leave). */
  share: number;
  /** At least this many addresses of the role, so hubs exist even in tiny runs. */
  min: number;
  /** Typical transfer in USD (median), and the spread of ln(amount). */
  amount: number;
  amountSigma: number;
  /** Transfers sent per day while active (median across addresses), and its ln spread. */
  rate: number;
  rateSigma: number;
  /** Out-relationships over the horizon: median, ln spread and floor. */
  fanout: number;
  fanoutSigma: number;
  fanoutMin: number;
  /** How strongly others pick this address as a counterparty (per unit of activity). */
  attract: number;
  /** Receiver pool weights (indexed by Pool). */
  pays: Partial<Record<number, number>>;
  /** Share of transfers placed on the address's few burst days (mean across addresses)... */
  burst: number;
  /** ...and how tightly addresses cluster around that mean (low values: steady or bursty, few in between). */
  burstConcentration: number;
  /** Share of relationships that are new and short-lived (unstable counterparties). */
  churn: number;
  /** Share of outgoing amounts placed just under a reporting threshold. */
  structuring: number;
  /** Probability that the address keeps UTC-night hours. */
  night: number;
  /** Probability that a relationship gets a reverse relationship (money sent back)... */
  reciprocity: number;
  /** ...and the range of the returned amount relative to the amount sent. */
  returned: readonly [number, number];
  /** Born inside the horizon (first activity ever in the sample period). */
  fresh: boolean;
  /** Passes its inflow on (outflow is rescaled to about the inflow). */
  passThrough: boolean;
}

const R = Pool;

const DEFAULTS: Omit<RoleSpec, 'name' | 'share' | 'amount' | 'rate' | 'fanout' | 'pays'> = {
  min: 1,
  amountSigma: 1.0,
  rateSigma: 0.6,
  fanoutSigma: 0.5,
  fanoutMin: 1,
  attract: 1,
  burst: 0.15,
  burstConcentration: 6,
  churn: 0.2,
  structuring: 0,
  night: 0.2,
  reciprocity: 0.05,
  returned: [0.3, 1],
  fresh: false,
  passThrough: false,
};

function role(
  spec: Pick<RoleSpec, 'name' | 'share' | 'amount' | 'rate' | 'fanout' | 'pays'> & Partial<RoleSpec>,
): RoleSpec {
  return { ...DEFAULTS, ...spec };
}

/**
 * Role table, in Role order. The mix is denser in alert-prone roles (traders, bots, merchants)
 * than a real chain, which keeps the simulated world, and the run time, small for a given number
 * of alerts. Illicit roles are about 6% of addresses; they are busy and set off several detectors
 * each, so they carry about a third of the alerts.
 */
export const ROLES: readonly RoleSpec[] = [
  role({
    name: 'retail',
    share: 0,
    amount: 150,
    amountSigma: 1.3,
    rate: 0.04,
    rateSigma: 0.9,
    fanout: 1.5,
    fanoutSigma: 0.5,
    churn: 0.25,
    night: 0.18,
    pays: {
      [R.Exchange]: 0.28,
      [R.Dex]: 0.08,
      [R.Merchant]: 0.35,
      [R.Retail]: 0.1,
      [R.Gambling]: 0.04,
      [R.Collector]: 0.08,
      [R.Validator]: 0.03,
      [R.Bridge]: 0.04,
    },
  }),
  role({
    name: 'fresh',
    share: 0.1,
    min: 2,
    amount: 280,
    amountSigma: 1.1,
    rate: 0.35,
    fanout: 1.5,
    attract: 0.8,
    burst: 0.3,
    churn: 0.9,
    night: 0.18,
    reciprocity: 0.03,
    fresh: true,
    pays: { [R.Exchange]: 0.7, [R.Dex]: 0.15, [R.Merchant]: 0.15 },
  }),
  role({
    name: 'trader',
    share: 0.28,
    min: 2,
    amount: 2500,
    amountSigma: 1.0,
    rate: 1,
    rateSigma: 0.6,
    fanout: 2,
    fanoutMin: 2,
    attract: 0.3,
    burst: 0.3,
    burstConcentration: 1.5,
    churn: 0.3,
    night: 0.25,
    reciprocity: 0.9,
    returned: [0.65, 1.0],
    pays: { [R.Exchange]: 0.4, [R.Dex]: 0.3, [R.Trader]: 0.1, [R.Merchant]: 0.2 },
  }),
  role({
    name: 'whale',
    share: 0.02,
    amount: 180000,
    amountSigma: 1.2,
    rate: 0.5,
    fanout: 4,
    attract: 0.5,
    burst: 0.1,
    churn: 0.1,
    reciprocity: 0.4,
    pays: { [R.Exchange]: 0.5, [R.Institutional]: 0.2, [R.Dex]: 0.2, [R.Whale]: 0.1 },
  }),
  role({
    name: 'merchant',
    share: 0.06,
    min: 2,
    amount: 3500,
    rate: 0.3,
    fanout: 1,
    fanoutSigma: 0.3,
    attract: 9,
    burst: 0.05,
    churn: 0.1,
    night: 0.08,
    reciprocity: 0.05,
    pays: { [R.Exchange]: 0.7, [R.Institutional]: 0.3 },
  }),
  role({
    name: 'distributor',
    share: 0.025,
    amount: 600,
    amountSigma: 0.8,
    rate: 5,
    fanout: 12,
    fanoutSigma: 0.3,
    fanoutMin: 10,
    attract: 0.2,
    burst: 0.85,
    churn: 0.05,
    night: 0.15,
    reciprocity: 0.02,
    pays: { [R.Retail]: 0.7, [R.Fresh]: 0.3 },
  }),
  role({
    name: 'exchange',
    share: 0.006,
    min: 3,
    amount: 1800,
    amountSigma: 1.5,
    rate: 3,
    rateSigma: 0.7,
    fanout: 15,
    fanoutSigma: 0.5,
    fanoutMin: 10,
    attract: 30,
    burst: 0.05,
    night: 0.3,
    reciprocity: 0.1,
    pays: { [R.Retail]: 0.6, [R.Exchange]: 0.05, [R.Whale]: 0.15, [R.Fresh]: 0.2 },
  }),
  role({
    name: 'dex',
    share: 0.006,
    min: 2,
    amount: 1200,
    amountSigma: 1.4,
    rate: 2,
    rateSigma: 0.7,
    fanout: 8,
    fanoutSigma: 0.4,
    fanoutMin: 5,
    attract: 20,
    burst: 0.05,
    night: 0.35,
    reciprocity: 0.2,
    pays: { [R.Retail]: 0.8, [R.Exchange]: 0.2 },
  }),
  role({
    name: 'validator',
    share: 0.012,
    amount: 90,
    amountSigma: 0.7,
    rate: 0.6,
    rateSigma: 0.5,
    fanout: 11,
    fanoutSigma: 0.2,
    fanoutMin: 10,
    attract: 0.3,
    burst: 0.02,
    churn: 0.05,
    night: 0.3,
    reciprocity: 0.02,
    pays: { [R.Retail]: 0.9, [R.Exchange]: 0.1 },
  }),
  role({
    name: 'bridge',
    share: 0.003,
    amount: 6000,
    amountSigma: 1.3,
    rate: 2,
    fanout: 10,
    fanoutMin: 5,
    attract: 6,
    burst: 0.1,
    churn: 0.3,
    night: 0.3,
    reciprocity: 0.1,
    passThrough: true,
    pays: { [R.Retail]: 0.5, [R.Exchange]: 0.3, [R.Dex]: 0.2 },
  }),
  role({
    name: 'institutional',
    share: 0.015,
    amount: 60000,
    amountSigma: 1.1,
    rate: 0.8,
    fanout: 3,
    fanoutMin: 2,
    attract: 2,
    burst: 0.05,
    churn: 0.05,
    night: 0.1,
    reciprocity: 0.6,
    returned: [0.6, 1.0],
    pays: { [R.Exchange]: 0.5, [R.Institutional]: 0.3, [R.Whale]: 0.2 },
  }),
  role({
    name: 'gambling',
    share: 0.01,
    amount: 180,
    amountSigma: 1.1,
    rate: 1.5,
    fanout: 10,
    fanoutMin: 5,
    attract: 10,
    burst: 0.1,
    churn: 0.3,
    night: 0.5,
    reciprocity: 0.3,
    pays: { [R.Retail]: 0.9, [R.Exchange]: 0.1 },
  }),
  role({
    name: 'bot',
    share: 0.04,
    amount: 3000,
    amountSigma: 0.9,
    rate: 6,
    rateSigma: 0.6,
    fanout: 2,
    fanoutSigma: 0.3,
    fanoutMin: 2,
    attract: 0.2,
    burst: 0.6,
    burstConcentration: 2,
    churn: 0.3,
    night: 0.5,
    reciprocity: 0.8,
    returned: [0.4, 1.0],
    pays: { [R.Dex]: 0.7, [R.Exchange]: 0.3 },
  }),
  // Illicit.
  role({
    name: 'mule',
    share: 0.015,
    amount: 2500,
    amountSigma: 0.9,
    rate: 10,
    fanout: 14,
    fanoutSigma: 0.25,
    fanoutMin: 11,
    attract: 0.3,
    burst: 0.9,
    churn: 0.9,
    structuring: 0.45,
    night: 0.35,
    passThrough: true,
    pays: { [R.Retail]: 0.3, [R.Fresh]: 0.25, [R.Exchange]: 0.2, [R.Cashout]: 0.15, [R.Layerer]: 0.1 },
  }),
  role({
    name: 'structurer',
    share: 0.014,
    amount: 900,
    amountSigma: 0.8,
    rate: 5,
    fanout: 3,
    fanoutMin: 2,
    attract: 0.3,
    burst: 0.45,
    churn: 0.3,
    structuring: 0.8,
    night: 0.75,
    reciprocity: 0.05,
    returned: [0.8, 1.0],
    pays: { [R.Exchange]: 0.5, [R.Collector]: 0.3, [R.Layerer]: 0.2 },
  }),
  role({
    name: 'layerer',
    share: 0.014,
    amount: 15000,
    rate: 2,
    fanout: 2,
    fanoutSigma: 0.3,
    attract: 1.5,
    burst: 0.5,
    churn: 0.35,
    structuring: 0.2,
    night: 0.45,
    reciprocity: 0.35,
    returned: [0.8, 1.0],
    passThrough: true,
    pays: { [R.Layerer]: 0.45, [R.Cashout]: 0.2, [R.Mixer]: 0.15, [R.Exchange]: 0.2 },
  }),
  role({
    name: 'collector',
    share: 0.008,
    amount: 4000,
    rate: 4,
    fanout: 2,
    fanoutSigma: 0.3,
    attract: 8,
    burst: 0.55,
    churn: 0.25,
    structuring: 0.3,
    night: 0.4,
    passThrough: true,
    pays: { [R.Layerer]: 0.4, [R.Mixer]: 0.25, [R.Mule]: 0.35 },
  }),
  role({
    name: 'mixer',
    share: 0.004,
    amount: 1000,
    amountSigma: 0.01,
    rate: 8,
    fanout: 10,
    fanoutSigma: 0.4,
    fanoutMin: 6,
    attract: 6,
    burst: 0.5,
    churn: 0.4,
    night: 0.5,
    reciprocity: 0.1,
    passThrough: true,
    pays: { [R.Retail]: 0.2, [R.Layerer]: 0.25, [R.Cashout]: 0.25, [R.Exchange]: 0.3 },
  }),
  role({
    name: 'cashout',
    share: 0.009,
    amount: 5000,
    amountSigma: 0.9,
    rate: 2,
    fanout: 2,
    fanoutSigma: 0.3,
    attract: 0.7,
    burst: 0.5,
    churn: 0.5,
    structuring: 0.3,
    night: 0.4,
    reciprocity: 0.02,
    fresh: true,
    passThrough: true,
    pays: { [R.Exchange]: 0.9, [R.Retail]: 0.1 },
  }),
];

/** Which pool an address of each role belongs to as a receiver. */
export const POOL_OF_ROLE: readonly number[] = [
  Pool.Retail, // retail
  Pool.Fresh, // fresh
  Pool.Trader, // trader
  Pool.Whale, // whale
  Pool.Merchant, // merchant
  Pool.Retail, // distributor (rarely paid)
  Pool.Exchange, // exchange
  Pool.Dex, // dex
  Pool.Validator, // validator
  Pool.Bridge, // bridge
  Pool.Institutional, // institutional
  Pool.Gambling, // gambling
  Pool.Trader, // bot
  Pool.Mule, // mule
  Pool.Retail, // structurer (looks like a retail wallet from outside)
  Pool.Layerer, // layerer
  Pool.Collector, // collector
  Pool.Mixer, // mixer
  Pool.Cashout, // cashout
];

/** Reporting thresholds structurers stay under (USD). */
export const THRESHOLDS = [1000, 3000, 5000, 10000] as const;

/**
 * Merchant price points: several sit just under a threshold ($999, $2,990, $9,950), so merchants
 * score high on structuring_score without doing anything wrong.
 */
export const PRICE_POINTS = [19.99, 49, 99, 149, 299, 499, 999, 2990, 4990, 9950] as const;

/** Assets on the network and their USD prices (amount_sum is in native units). */
export const ASSETS = ['TORUS', 'USDT', 'USDC', 'wETH', 'wBTC', 'DAI'] as const;
export const ASSET_PRICES = [0.42, 1, 1, 3450, 67200, 1] as const;
export const ASSET_WEIGHTS = [0.55, 0.18, 0.12, 0.07, 0.03, 0.05] as const;
