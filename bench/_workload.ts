/**
 * The ticket workload every row of the benchmark runs: a generator of ~2 KB tickets ("fetch"),
 * five transforms (normalize, enrich, classify, route, update) and a sink that counts and keeps a
 * checksum. It is the same work as the peers' workload in `../shared/peers/common.mjs`, so that
 * Node-RED and n8n rows compare like with like; the benchmark checks that both give the same
 * checksum when the peers are present.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any

/** A ticket as the workload shapes it. */
export type Ticket = Record<string, any>;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const WORDS = ("the customer reports that when trying to use the portal again after the update " +
  "something fails please advise we have tried clearing cache and restarting the device but " +
  "nothing changed and our team is blocked invoice refund charge payment billing error crash bug " +
  "login timeout password account email profile delivery shipping package tracking thanks " +
  "regards urgent asap order number attached screenshot logs").split(" ");
const SUBJECTS = [
  "Refund not received for last invoice",
  "Login error after password reset",
  "Package tracking shows delivered but nothing arrived",
  "App crash on startup",
  "Update my account email",
  "Question about pricing",
  "Double charge on my card",
  "Timeout when exporting report",
];
const QUEUES = ["Support", "BILLING", "tech", "General"];
const PRIORITIES = ["Urgent", "high", "Normal", "low"];
const BODIES: string[] = [];
{
  const r = prng(42);
  for (let b = 0; b < 64; b++) {
    const parts: string[] = [];
    let len = 0;
    while (len < 1350) {
      const w = WORDS[Math.floor(r() * WORDS.length)]!;
      parts.push(r() < 0.05 ? w + ".\n\n" : w);
      len += w.length + 1;
    }
    BODIES.push("Hello,\n  " + parts.join("  ".slice(0, 1 + (b & 1))));
  }
}

/** Ticket number `i` (the "fetch" step). */
export function makeTicket(i: number): Ticket {
  return {
    id: "T-" + (100000 + i),
    subject: "  " + SUBJECTS[i % SUBJECTS.length] + "  ",
    body: BODIES[i % 64] + " ref ORD-" + String(i % 1000000).padStart(6, "0"),
    queue: QUEUES[i % 4],
    priority: PRIORITIES[(i >> 2) % 4],
    status: "new",
    channel: i % 3 ? "email" : "web",
    requester: {
      name: "User " + (i % 997),
      email: "User" + (i % 997) + "@Example.COM",
      org: "Org " + (i % 37),
    },
    tags: ["inbound", "v2", i % 5 ? "returning" : "new-customer"],
    created_ms: 1700000000000 + i * 1000,
    custom_fields: {
      product: "plan-" + (i % 4),
      region: ["eu", "us", "apac"][i % 3],
      locale: "en-US",
    },
    audit: [],
  };
}

/** Trims text, maps the priority to a number, lower-cases queue and e-mail. */
export function normalize(t: Ticket): Ticket {
  t.subject = t.subject.trim().replace(/\s+/g, " ");
  t.body = t.body.replace(/\s+/g, " ").trim();
  const p = String(t.priority).toLowerCase();
  t.priority = p === "urgent" ? 1 : p === "high" ? 2 : p === "normal" ? 3 : 4;
  t.queue = t.queue.toLowerCase();
  t.requester.email = t.requester.email.toLowerCase();
  return t;
}

/** Adds the lower-cased text, order ids, a word count and an attachment hint. */
export function enrich(t: Ticket): Ticket {
  const text = (t.subject + " " + t.body).toLowerCase();
  t.text_lc = text;
  t.order_ids = text.match(/\bord-\d{6}\b/g) || [];
  t.word_count = text.split(" ").length;
  t.has_attachment_hint = text.includes("screenshot") || text.includes("attached");
  return t;
}

const KEYWORDS: Record<string, string> = Object.assign(Object.create(null), {
  invoice: "billing",
  refund: "billing",
  charge: "billing",
  payment: "billing",
  billing: "billing",
  error: "technical",
  crash: "technical",
  bug: "technical",
  login: "technical",
  timeout: "technical",
  password: "account",
  account: "account",
  email: "account",
  profile: "account",
  delivery: "shipping",
  shipping: "shipping",
  package: "shipping",
  tracking: "shipping",
});

/** Scores the text against keyword lists and picks a category. */
export function classify(t: Ticket): Ticket {
  const scores: Record<string, number> = { billing: 0, technical: 0, account: 0, shipping: 0 };
  const words = t.text_lc.split(/[^a-z0-9]+/);
  let hits = 0;
  for (let i = 0; i < words.length; i++) {
    const c = KEYWORDS[words[i]];
    if (c) {
      scores[c]!++;
      hits++;
    }
  }
  let best = "general";
  let bestScore = 0;
  for (const k in scores) {
    if (scores[k]! > bestScore) {
      best = k;
      bestScore = scores[k]!;
    }
  }
  t.category = best;
  t.confidence = hits ? bestScore / hits : 0;
  t.scores = scores;
  return t;
}

const QUEUE_OF: Record<string, string> = {
  billing: "finance-l1",
  technical: "eng-support",
  account: "identity",
  shipping: "logistics",
  general: "triage",
};

/** Picks the queue and SLA; escalates urgent tickets classified with low confidence. */
export function route(t: Ticket): Ticket {
  const sla = t.priority === 1 ? 4 : t.priority === 2 ? 8 : t.priority === 3 ? 24 : 72;
  t.route = {
    queue: QUEUE_OF[t.category] || "triage",
    sla_hours: sla,
    escalate: t.priority <= 2 && t.confidence < 0.5,
  };
  return t;
}

/** Marks the ticket routed, adds an audit entry and the patch a ticket system would get. */
export function update(t: Ticket): Ticket {
  t.status = "routed";
  t.updated_at = new Date(t.created_ms + 60000).toISOString();
  t.audit = t.audit.concat([{ step: "route", queue: t.route.queue, at: t.updated_at }]);
  delete t.text_lc;
  t.patch = {
    id: t.id,
    status: t.status,
    queue: t.route.queue,
    category: t.category,
    priority: t.priority,
    sla_hours: t.route.sla_hours,
  };
  return t;
}

/** The five transforms in order. */
export const STEPS: ((t: Ticket) => Ticket)[] = [normalize, enrich, classify, route, update];

/** Counts tickets and keeps a checksum (categories, escalations, words). */
export class Sink {
  #n = 0;
  #cats: Record<string, number> = {};
  #esc = 0;
  #words = 0;

  /** Adds one finished ticket. */
  add(t: Ticket): void {
    this.#n++;
    this.#cats[t.category] = (this.#cats[t.category] || 0) + 1;
    if (t.route.escalate) this.#esc++;
    this.#words += t.word_count;
  }

  /** The checksum, as the peers print it. */
  summary(): string {
    return JSON.stringify({ n: this.#n, cats: this.#cats, esc: this.#esc, words: this.#words });
  }
}
