/**
 * Writes the example's sample tickets (`samples/train.csv`, labeled, and
 * `samples/incoming.csv`, to be triaged) from templates written for this project. Deterministic:
 * the same seed writes the same files.
 *
 * Run: deno run --allow-write=examples/ticket_triage/samples examples/ticket_triage/generate_samples.ts
 *
 * @module
 */
import { seededRandom } from "../_seeded_random.ts";

interface Topic {
  queue: string;
  subjects: string[];
  bodies: string[];
  fill: Record<string, string[]>;
}

const TOPICS: Topic[] = [
  {
    queue: "Technical Support",
    subjects: [
      "{product} crashes on startup",
      "Error {code} when opening {product}",
      "{product} is very slow since the update",
      "Cannot export reports from {product}",
      "Sync between {product} and the mobile app fails",
      "{product} keeps logging me out",
    ],
    bodies: [
      "Since this morning {product} crashes right after the splash screen. I reinstalled it but the crash stays. The log shows error {code}.",
      "When I open a project in {product} I get error {code} and nothing loads. Colleagues on the same version have the same problem.",
      "After the last update {product} takes minutes to open a file. Before it was instant. We use version {version}.",
      "The export button in {product} does nothing. No file is created and no message appears. I tried PDF and CSV.",
      "Changes I make on my phone do not show up in {product} on my laptop. Sync says it finished but the data is old.",
      "{product} signs me out every few minutes and I lose unsaved work. I already cleared the cache.",
    ],
    fill: {
      product: [
        "the desktop app",
        "the reporting tool",
        "the editor",
        "the dashboard",
        "the sync client",
      ],
      code: ["0x80070005", "E1043", "500", "SYNC-17", "ERR_TIMEOUT"],
      version: ["4.2.1", "4.3.0", "5.0.2"],
    },
  },
  {
    queue: "Billing and Payments",
    subjects: [
      "Charged twice for invoice {invoice}",
      "Refund for {plan} subscription",
      "Wrong VAT on my last invoice",
      "Credit card payment declined",
      "Question about invoice {invoice}",
      "Please change the billing address",
    ],
    bodies: [
      "My card was charged twice for invoice {invoice}, {amount} each time. Please refund the duplicate payment.",
      "I cancelled the {plan} plan within the trial period but was still charged {amount}. I would like a refund.",
      "Invoice {invoice} shows VAT although we gave you our VAT number. Please issue a corrected invoice.",
      "The payment for our {plan} renewal was declined, but the card works elsewhere. Can you check the payment gateway?",
      "Invoice {invoice} lists {amount} but our contract says a lower price for the {plan} plan. Please explain the difference.",
      "We moved offices. Please put the new billing address on all future invoices, starting with {invoice}.",
    ],
    fill: {
      invoice: ["INV-2041", "INV-3307", "INV-1189", "INV-4520", "INV-0981"],
      plan: ["Pro", "Team", "Enterprise", "Starter"],
      amount: ["49.00 EUR", "129.00 EUR", "1,200.00 EUR", "19.99 EUR"],
    },
  },
  {
    queue: "IT Infrastructure",
    subjects: [
      "VPN connection drops at {site}",
      "Server {server} is not reachable",
      "Backup job failed on {server}",
      "Network printer at {site} offline",
      "Disk almost full on {server}",
      "Wi-Fi outage in the {site} building",
    ],
    bodies: [
      "The VPN disconnects every ten minutes for everyone at {site}. The firewall logs show the tunnel renegotiating.",
      "Nobody can reach {server} since the maintenance window. Ping times out and the web console is down.",
      "Last night's backup on {server} failed with a write error on the storage target. No backup for two days now.",
      "The printer on the second floor at {site} shows offline on all laptops. Power cycling did not help.",
      "Monitoring warns that the data volume on {server} is at 95 percent. Please extend it before the database stops.",
      "The wireless network in the {site} building is down. Wired connections still work.",
    ],
    fill: {
      site: ["Berlin", "the Hamburg office", "Munich", "the warehouse", "headquarters"],
      server: ["srv-db-02", "files01", "app-prod-3", "mail-gw", "build-runner-7"],
    },
  },
  {
    queue: "Accounts and Access",
    subjects: [
      "Password reset link does not arrive",
      "Please create an account for {person}",
      "Locked out after too many attempts",
      "Need admin rights for {system}",
      "Remove access for {person}",
      "Two-factor codes rejected",
    ],
    bodies: [
      "I requested a password reset three times but no email arrives, not even in spam. My login is {person}.",
      "{person} starts on Monday in our team. Please create an account with access to {system}.",
      "My account is locked after I mistyped the password. Please unlock it so I can work in {system}.",
      "For the migration project I need administrator rights in {system} for two weeks.",
      "{person} left the company yesterday. Please remove all access, including {system}.",
      "The codes from my authenticator app are rejected when I sign in to {system}. The phone clock is correct.",
    ],
    fill: {
      person: ["j.meyer", "a.kowalski", "s.nguyen", "m.rossi", "l.fischer"],
      system: [
        "the CRM",
        "the HR portal",
        "the file share",
        "the ticket system",
        "the build server",
      ],
    },
  },
  {
    queue: "Returns and Shipping",
    subjects: [
      "Order {order} arrived damaged",
      "Return label for order {order}",
      "Parcel {order} not delivered",
      "Wrong item in order {order}",
      "Exchange {item} for another size",
      "Delivery address change for {order}",
    ],
    bodies: [
      "Order {order} arrived today but the {item} inside is broken. The box was dented. Photos attached.",
      "I want to return the {item} from order {order}. Please send me a return label.",
      "Tracking for order {order} says delivered but nothing arrived and neighbours have nothing either.",
      "I ordered a {item} but order {order} contained something else. Please send the right item.",
      "The {item} from order {order} is too small. Can I exchange it for a larger size?",
      "Please deliver order {order} to my work address instead; I will not be home this week.",
    ],
    fill: {
      order: ["#48213", "#50977", "#51002", "#47788", "#52310"],
      item: ["headset", "keyboard", "monitor stand", "docking station", "jacket"],
    },
  },
  {
    queue: "Sales and Licensing",
    subjects: [
      "Quote for {seats} licenses",
      "Upgrade from {plan} to Enterprise",
      "Volume discount for {seats} seats",
      "Trial extension request",
      "Partner program question",
      "Renewal offer for our {plan} plan",
    ],
    bodies: [
      "We would like a quote for {seats} licenses of the {plan} plan, billed yearly.",
      "Our team outgrew the {plan} plan. What would an upgrade to Enterprise cost for {seats} users?",
      "Is there a volume discount if we buy {seats} seats at once? We compare offers this month.",
      "Our evaluation needs two more weeks. Could you extend the trial for our {seats} test users?",
      "We resell software to schools and want to join your partner program. Who can we talk to?",
      "Our {plan} contract ends next month. Please send a renewal offer for {seats} seats.",
    ],
    fill: {
      seats: ["25", "50", "120", "300", "1,000"],
      plan: ["Pro", "Team", "Starter"],
    },
  },
];

/** Tickets that name no topic: a model should not be sure about them. */
const VAGUE = [
  [
    "Question",
    "Hello, I have a question about my account and the last order. Please call me back.",
  ],
  ["Problem", "Something is not working since yesterday. Can someone look at it?"],
  ["", "Please see my earlier email, I still have not heard back from anyone."],
  ["Follow-up", "Any news on this? We discussed it on the phone last week."],
];

const URGENT = [
  "This is urgent: production is blocked.",
  "Please help as soon as possible, the whole team is waiting.",
  "Critical for our customers today.",
];
const CALM = [
  "No rush, whenever you have time.",
  "Not urgent, just letting you know.",
  "Low priority, it can wait until next week.",
];

/**
 * Synthetic tickets; with `ambiguous`, some name no topic (their true queue is "Review") and some
 * start on one topic and are about another.
 */
export function makeTickets(
  count: number,
  seed: number,
  options: { ambiguous?: boolean } = {},
): { id: string; subject: string; body: string; queue: string; priority: string }[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const out = [];
  for (let i = 0; i < count; i++) {
    const topic = pick(TOPICS);
    const n = Math.floor(rnd() * topic.subjects.length);
    const fill = (text: string) =>
      text.replace(/\{(\w+)\}/g, (_, k: string) => pick(topic.fill[k]!));
    const roll = rnd();
    const priority = roll < 0.25 ? "high" : roll < 0.7 ? "medium" : "low";
    const cue = priority === "high"
      ? ` ${pick(URGENT)}`
      : priority === "low"
      ? ` ${pick(CALM)}`
      : "";
    const id = `T-${seed}-${String(i + 1).padStart(4, "0")}`;
    const mix = rnd();
    if (options.ambiguous && mix < 0.05) {
      const [subject, body] = pick(VAGUE);
      out.push({ id, subject: subject!, body: body! + cue, queue: "Review", priority });
      continue;
    }
    // Some tickets start on one topic and are about another: the body decides.
    const other = options.ambiguous && mix < 0.12 ? pick(TOPICS) : topic;
    out.push({
      id,
      subject: rnd() < 0.15 ? "" : fill(topic.subjects[n]!),
      body: other === topic
        ? fill(topic.bodies[(n + Math.floor(rnd() * 2)) % topic.bodies.length]!) + cue
        : other.bodies[n % other.bodies.length]!.replace(
          /\{(\w+)\}/g,
          (_, k: string) => pick(other.fill[k]!),
        ) + cue,
      queue: other.queue,
      priority,
    });
  }
  return out;
}

function csv(rows: Record<string, string>[]): string {
  const header = Object.keys(rows[0]!);
  const quote = (v: string) => /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  return [header.join(","), ...rows.map((r) => header.map((h) => quote(r[h] ?? "")).join(","))]
    .join("\n") + "\n";
}

if (import.meta.main) {
  const dir = new URL("./samples/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(new URL("train.csv", dir), csv(makeTickets(480, 7)));
  const incoming = makeTickets(240, 11, { ambiguous: true });
  const inbox = incoming.map((t) => ({ ...t, queue: "Inbox", priority: "medium", state: "new" }));
  await Deno.writeTextFile(new URL("incoming.csv", dir), csv(inbox));
  const truth = incoming.map(({ id, queue, priority }) => ({ id, queue, priority }));
  await Deno.writeTextFile(new URL("incoming_truth.csv", dir), csv(truth));
  console.log(
    "wrote samples/train.csv (480 labeled), samples/incoming.csv (240 to triage) and " +
      "samples/incoming_truth.csv (their true labels, for tests)",
  );
}
