# ruff: noqa: E501  (the lexicon: one regex per line reads and diffs better than wrapped fragments)
"""Stance-signal detector: which government says what about arms aid to whom, and how firmly.

Pure Python (no ORM) so it is unit-testable and explainable. The approach is a lexicon plus small
patterns, applied clause by clause:

1. Split the article into sentences and clauses; find country mentions with the alias table
   (names, demonyms, capitals and seats of government as metonyms, leaders).
2. In each clause, find stance cues ("will not send", "does not exclude", "considering", "pledged",
   "delivered", "non-lethal", "halt" …). Each cue maps to a codebook level; negation and conditions
   move it ("not considering" → prohibits, "will send … if" → conditional).
3. Give each cue a donor (the country in subject/speaker position, or "by/from X"; else the country
   the article is about so far) and a recipient ("to/for X", "arm X", "X's request"; else the
   article's main recipient). Requests ("Kyiv urged Seoul to send"), warnings by third parties,
   commercial deals, production figures and background clauses ("had previously", "so far") are
   discounted or skipped.
4. Keep one signal per (donor, recipient, scope): the best-scoring evidence sentence.

Every signal carries a human-readable `reason` naming the cue and the words it matched.

lex-1.1 (generalisation pass) added, each as data or one small named function:
- cue families for paraphrases (`CUES_1_1`, grouped by level): negated intent ("does not plan to"),
  refused permission ("will not allow … to transit"), nominal refusals and bans ("Berlin's refusal
  to", "embargo on"), restraint ("refrain from", "under no circumstances", "decided against"),
  "refused to rule out" (open), undecided agendas ("no decision yet", "studying the delivery of",
  "looking at whether"), continuation ("will keep sending" = pledged, "keeps sending" = delivering),
  offers, plans, donations and gifts (pledged, not delivered), funding arms purchases, "not yet
  arrived" (pledged), passive deliveries ("were handed over");
- clause handling: cancelling frames ("stopped short of committing"), a coordinated new subject starts
  a clause ("Spain will send …, and Italy is studying …"), reduced relatives ("tanks pledged in
  January") describe rather than report, reported-speech backshift is not background;
- roles: the opposition, candidates and former officials are not the government (nor their follow-up
  quote), the origin of the arms ("North Korean shells") gives the donor, a dateline capital or an
  interviewee's office is a weak donor vote, "for use in X" names the recipient;
- styles: live-blog timestamps and interview "Q:/A:" lead-ins are stripped, questions state no stance;
- scope: an anaphoric arms noun ("such munitions", "the missiles") inherits the previous sentence's
  weapon class instead of adding an overall line.

lex-1.2 (second generalisation pass, from an independent author's articles; `CUES_1_2` plus helpers):
- cue families: "neither … nor", "will not let … through", licences refused/suspended/frozen ("grants no
  new export licences", "suspended 30 licences"), "will not go to", "there will be no troops", declined
  requests (prohibits); "nothing can be ruled out", options kept open, "hinges on", "beyond humanitarian
  aid", "has not closed the door" (open); "in talks with allies about sending" (considering); passive
  future "will be transferred", "will buy … and donate", "will increase military support", "decision to
  send", "will receive … from X", "the first country to send", state-approved sales and government
  contracts ("approved the possible sale of", "signed a contract to supply") (pledged); "took delivery
  of … from X", "now in place in X", "has begun delivering", "has handed Kyiv …" (delivering); headline
  infinitives ("Germany to send tanks to Ukraine"); "bullets", "bombs" and Iron Dome are arms;
- roles (subject gives, "to/for" object receives): the owner in "send Germany's Taurus" gives; the
  antecedent of ", which have supplied …" is the subject (with its coordinated partners); a country after
  the cue that is the subject of another verb ("… so that Russia does not win") is not the giver; a
  passive agent ("handed over … by Portugal") gives; a seller ("buy … from X") is neither; "arms exports/
  export licences to X" names the recipient; coordinated recipients ("to Saudi Arabia or to the UAE") and
  every coordinated donor (also after a dateline, and "followed/joined X in pledging") each get a signal;
  ties go to the "to X" right after the cue; "U.S.-made" names its country, but an origin adjective
  ("US-supplied HIMARS") reports no transfer; a later clause without a subject ("…, and will send")
  shares the previous clause's donor;
- levels: non-lethal items as the supply verb's object ("will send 5,000 helmets") and a refusal paired
  with a non-lethal gift ("declined to provide weapons, and offered a field hospital") are non_lethal;
  a standing non-lethal policy in background still lifts a weapons refusal to non_lethal; firm conditions
  anywhere in the sentence ("only after pilots are trained", ", provided allies pay", "subject to
  parliamentary approval") make a pledge or a "could supply" conditional (end-use terms and "as soon as
  possible" do not); an "only non-lethal so far" record stands when nothing newer is said about the pair;
- scope of clauses: background markers count only up to the end of the cue's comma segment (a trailing
  "…, ending weeks of hesitation that had …" is not history); "The Pentagon … from U.S. stocks" no longer
  splits at "U.S."; a "Press release" lead-in is not a request; "Block 70" is not a block; "due to be
  delivered" is a schedule, not a cause; "in the past two weeks" is news, not history;
- arms context: export licences in an arms article, "beyond humanitarian aid", and bare stances
  ("keeping its options open") right after an arms sentence; commercial words do not hide a state's
  transfer decision unless a company is the party.

lex-1.3 (third pass, from blind2's misses; aimed at FEWER false signals, not at one more phrasing):
- claims by others are not stances: a cue after "accusations/allegations that", "accused X of", "alleged",
  "suspected" in its clause yields nothing (`CLAIM`); a denial before them still counts;
- stricter donor resolution: a receiving clause ("Ukraine has received …", "… have arrived in X") and a
  clause whose subject is a multilateral body ("the European Union pledged …") name no donor unless one is
  in the clause ("from/by X"), so none is borrowed from the article (`_RECEIVING_VERB`, `_body_is_subject`);
  with a receiving verb the subject receives whichever cue wins ("has received its first batch");
  a cue whose subject is a generic group ("allies have balked at", "capitals willing to consider") is
  about others; "In Prague, …" is a place, not a party; an origin adjective after "against"/"intercept"
  ("a shield against Russian missiles") and a maker ("U.S.-made") are neither donor nor recipient; the
  addressee of a letter or message, and a country angered or warned by the step, are not recipients;
- levels: "refused on Monday to exclude" is open; "has long said" is a standing policy (background), so
  the news of the day wins; a clause dated "in December 2017" is background like "in 2017"; "the unit it
  had promised" describes and the clause's own verb ("had been handed over") reports (also across a dashed
  aside); "tied to the completion of …", "preconditions" and "— provided" make a pledge conditional;
  "expects to deliver" is a pledge, not a delivery; "will not hand Ukraine X" is a refusal (`CUES_1_3`).

lex-1.4 (fourth pass, from blind3's misses and false signals; `CUES_1_4` plus the lex-1.4 helpers):
- idioms: "has not taken it off the table" is open (not a refusal); "leaves the door ajar" is open; "does not
  arise", "out of the question", "not on the agenda", "shuts the door on" refuse;
- bans: a law or decree "banning/prohibiting" transfers, "banning", "arms embargo" (not "lifted the arms
  embargo"), "aid/cooperation … had been halted"; military or security cooperation and military financing
  are arms aid;
- pledges phrased as permissions, approvals and decisions: "gave Poland permission to send" (the permitted
  country takes no role), "would expedite approval of the transfers", nominal "approval of the possible sale
  (to X) of", "decided to give", "we're going to send", "the radars and missiles will follow" (but "more will
  follow" is the rest of a delivery under way); "said again that X would send";
- deliveries: "completed the handover of"; an object relative with a named giver ("the systems that Germany
  promised Ukraine … has arrived") describes, so the delivery reports;
- considering: "actively reviewing", "was being studied"; "is considered the best" is a judgement and
  "consider the safety of" weighs a factor;
- not stances: a cue inside a trigger or hypothesis ("even if Seoul decides to send", "if X attacks") and a
  refusal to give information ("declining to give a number", "refused to say how many"); "could make
  available" inside an indirect question ("how many tanks … could make available"); reliance ("long
  dependent on Russian arms"); a bare participle after a non-arms noun ("notifications sent to Congress");
  an approval still required ("would have to be approved");
- roles: a country inside a trigger ("If Pyongyang sends troops, we will …") or whose conduct is watched
  ("monitoring the level of North Korea's military cooperation with Russia") is neither donor nor recipient; the one welcoming or hailing a step receives; a companion ("alongside Dutch Prime Minister …")
  does not speak; "X's own defences" is no recipient slot; "for use in the war in X" names the recipient;
  "relations between Washington and Beijing" joins no donors; a person named as outside government
  ("Friedrich Merz, leader of the opposition") stays outside in later sentences where they speak; a
  sentence opened by a leader ("Chancellor Olaf Scholz, on a tour …, sought …") sets who speaks next;
- levels: "could send … if Russia does not agree" is conditional; with a conditional commitment for the
  pair, a bare "depends on" restates its condition and adds no open_to_lethal line; a relative "that once
  belonged" is no "once" condition.
No confidence cut-off is applied: on all labelled parts the low-confidence signals are almost all
correct (confidence is not calibrated against false signals), so a threshold would only cost recall.
"""

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

DETECTOR_VERSION = "lex-1.4"

LEVEL_RANKS = {
    "prohibits": 0,
    "non_lethal": 1,
    "open_to_lethal": 2,
    "considering_lethal": 3,
    "conditional_lethal": 4,
    "pledged_lethal": 5,
    "delivering_lethal": 6,
}

ON_RECORD, ATTRIBUTED, MEDIA_REPORT = "on_record", "attributed", "media_report"
CERTAINTY_FACTOR = {ON_RECORD: 1.0, ATTRIBUTED: 0.8, MEDIA_REPORT: 0.7}


@dataclass(frozen=True)
class Signal:
    donor: str
    recipient: str
    level: str
    scope: str | None
    evidence: str
    reason: str
    confidence: float
    certainty: str
    weapons: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    speaker: str = ""


# --- Weapons: category lexicon (scope) ----------------------------------------------------------
# Surface patterns (case-insensitive) → weapon category code. Named systems and generic class nouns.
WEAPON_PATTERNS: list[tuple[str, str]] = [
    (
        r"taurus|atacms|army tactical missile systems?|storm shadow|scalp(?:-eg)?|tomahawks?|(?:long-range|cruise|ballistic) (?:missiles?|weapons|strike weapons)|long-range (?:strike )?(?:weapons|missiles|capabilities)",
        "long_range_missiles",
    ),
    (
        r"f-16s?|f-35s?|f-15s?|eurofighters?|f/a-18s?|mig-29s?|gripens?|mirage(?: 2000)?s?|fighter (?:jets?|aircraft|planes)|warplanes|combat aircraft|jets",
        "combat_aircraft",
    ),
    (
        r"leopard(?: 1| 2)?(?: tanks?)?|leopards|abrams(?: tanks?)?|challenger(?: 2)?(?: tanks?)?|k2 (?:tanks?|black panther)|t-72s?|(?:main )?battle tanks?|(?<!think )(?<!fuel )(?<!think-)tanks",
        "tanks",
    ),
    (
        r"armou?red (?:\w+ )?(?:vehicles|personnel carriers)|infantry fighting vehicles|ifvs?|apcs|marders?|bradleys?|strykers?|cv90s?|personnel carriers",
        "armoured_vehicles",
    ),
    (
        r"155 ?mm(?: artillery)?(?: shells| rounds| ammunition| munitions)?|155-millimet(?:er|re)(?: shells| rounds)?|152 ?mm(?: shells)?|artillery (?:shells|rounds|ammunition|munitions)|shells|cluster munitions",
        "artillery_ammo",
    ),
    (
        r"howitzers?|himars|mlrs|multiple (?:launch )?rocket (?:launchers|systems)|rocket launchers|k9(?: thunder)?s?|caesars?|caesar guns|archers?|pzh ?2000s?|artillery (?:systems|guns|pieces)|self-propelled (?:guns|howitzers|artillery)",
        "artillery_systems",
    ),
    (
        r"air[- ]defen[cs]e(?: systems?| missiles?| interceptors)?|patriots?(?: systems?| batteries| missiles)?|iris-t(?: slm)?(?: systems?)?|nasams|samp/t(?: batter(?:y|ies)| systems?)?|hawk (?:air defen[cs]e )?(?:missiles|systems|launchers|batteries)|s-300s?|cheongung|m-sam|stingers?|surface-to-air missiles?|anti-aircraft (?:guns|systems|missiles)|gepards?|interceptors?|manpads|iron dome|david's sling|(?:thaad|terminal high altitude area defen[cs]e)(?: batter(?:y|ies)| systems?)?",
        "air_defence",
    ),
    (r"javelins?|nlaws?|anti-tank (?:weapons|missiles|guided missiles|systems|rockets)|panzerfausts?", "anti_tank"),
    (r"small arms|assault rifles|rifles|machine guns|small-arms ammunition", "small_arms"),
    (r"helicopters?|mi-8s?|mi-17s?|apaches?|ah-64s?|black hawks?", "helicopters"),
    (
        r"drones?|uavs?|unmanned (?:aerial|surface|maritime) (?:vehicles|systems)|bayraktars?|tb2s?|switchblades?|shaheds?",
        "drones",
    ),
    (
        r"warships?|frigates?|corvettes?|patrol boats|minehunters?|anti-ship missiles?|harpoons?|naval (?:drones|vessels)",
        "naval",
    ),
    (
        r"(?:ground )?troops|soldiers|military (?:trainers|instructors|advisers|personnel)|trainers|instructors",
        "troops",
    ),
    (
        r"(?:military )?helmets|(?:bulletproof|protective) vests|protective gear|field hospitals?|medical training|winter clothing|uniforms|body armou?r|flak jackets|medical (?:supplies|kits|equipment)|first-aid kits|demining (?:equipment|gear)|generators|night-vision goggles|mine detectors|drone detection systems",
        "non_lethal_equipment",
    ),
]
_WEAPON_RES = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), code) for p, code in WEAPON_PATTERNS]

# Words that make a clause about arms or military aid at all (generic, no class).
GENERIC_ARMS = re.compile(
    r"\b(?:lethal (?:weapons|aid|arms|support|assistance|equipment)|weapons?|weaponry|arms|munitions|ammunition|"
    r"military (?:aid|assistance|support|equipment|help|hardware|supplies|package|financing|funding|cooperation)|security cooperation|defen[cs]e (?:aid|assistance|equipment)|"
    r"(?:aid|support|military) package|security assistance|(?:drawn|taken) from (?:\S+ )?(?:stocks|stockpiles|inventories)|war material|materiel|arms shipments?|arms deliveries|missiles|rockets|artillery|bullets?|(?:guided |glide |aerial |\S+-pound )?bombs)\b",
    re.IGNORECASE,
)
NON_LETHAL = re.compile(
    r"\b(?:non-?lethal|humanitarian (?:aid|assistance|supplies|support|help)|financial (?:aid|assistance|support)|"
    r"economic (?:aid|assistance|support)|reconstruction (?:aid|funding|assistance))\b",
    re.IGNORECASE,
)

# --- Cues: (pattern, level, strength, label) -----------------------------------------------------
# Patterns run on the lower-cased clause. Strength is the cue's own weight (0..1) before certainty,
# hedges and position adjust it. Order does not matter: every cue that matches is a candidate.
# Supply verbs in every inflection ("send", "sends", "sending", "sent", "hand over", "handed over" …).
_SEND = (
    r"(?:send|sends|sending|sent|supply|supplies|supplying|supplied|provide|provides|providing|provided|deliver|delivers|"
    r"delivering|delivered|give|gives|giving|given|transfer|transfers|transferring|transferred|ship|ships|shipping|shipped|"
    r"export|exports|exporting|re-export|re-exporting|donate|donates|donating|donated|gift|gifting|gifted|"
    r"hand(?:s|ed|ing)? over|pass(?:es|ed|ing)? on|lend|lends|lending|arm|arming|offer|offers|offering|sell|sells|selling|"
    r"deploy|deploys|deploying|dispatch|dispatches|dispatching|dispatched|make available|making available|made available|"
    r"contribute|contributes|contributing|contributed)"
)
_NEG = r"(?:not|n't|never|no longer)"

CUES: list[tuple[str, str, float, str]] = [
    # prohibits: refusals, rule-outs, bans, halts
    (
        rf"\b(?:will|would|shall|does|do|did|can|could|is|are|was|were|has|have)\s*{_NEG}\s+(?:be\s+)?(?:(?:able|in a position|allowed|permitted) to\s+)?(?:(?!exclud|rul|hesitat|only|just|block|stop|prevent|oppose|object)\w+\s+)?{_SEND}\b",
        "prohibits",
        0.85,
        "negated supply verb",
    ),
    (
        rf"\b(?:won't|wouldn't|cannot|can't|refuses?|refused|refusing|declined|declines|declining)\s+(?:to\s+)?(?:\w+\s+)?{_SEND}\b",
        "prohibits",
        0.85,
        "refusal to supply",
    ),
    (r"\b(?:still |again )?refus(?:es|ed|ing)\b", "prohibits", 0.7, "refusal"),
    (r"\b(?<!not )(?<!n't )(?<!no )rul(?:ed|es|ing) out\b", "prohibits", 0.8, "rules out"),
    (r"\bno (?:plans?|intention|intentions)\s+(?:to|of)\b", "prohibits", 0.8, "no plans to"),
    (
        r"\b(?:not|never|no longer)\s+(?:\w+\s+)?(?:considering|contemplating|planning to|looking at)\b",
        "prohibits",
        0.75,
        "not considering",
    ),
    (
        r"\b(?:not|no longer) on the table\b|\boff the table\b|\bnot (?:currently |now )?(?:under consideration|under review|being considered)\b",
        "prohibits",
        0.75,
        "not on the table",
    ),
    (rf"\bno longer\s+{_SEND}", "prohibits", 0.85, "no longer supplying"),
    (rf"\b(?:not|never)\s+(?:to\s+)?{_SEND}\b", "prohibits", 0.75, "not supplying"),
    (
        r"\b(?:halt(?:s|ed|ing)?|paus(?:e|es|ed|ing)|suspend(?:s|ed|ing)?|freez(?:e|es|ing)|froze|frozen|stop(?:s|ped|ping)?(?! short)|cut(?:s|ting)? off)\b(?=.{0,60}\b(?:aid|shipments?|deliveries|delivery|supplies|transfers?|assistance|weapons|arms|exports?|(?:military |security )cooperation)\b)",
        "prohibits",
        0.8,
        "halt/suspend",
    ),
    (
        r"\b(?:prohibits?|prohibited|banned|bans|forbids?|forbidden|bars|barred|blocks?(?!\s+\d)|blocked|vetoe?d?|vetoes)\b",
        "prohibits",
        0.75,
        "ban/block",
    ),
    (
        r"\b(?:denied|denies|denying|dismissed|dismisses)\b(?=.{0,80}\b(?:reports?|claims?|allegations?|supplying|sending|providing|delivering|having|plans?)\b)",
        "prohibits",
        0.75,
        "denial",
    ),
    (
        r"\b(?:will|would|does|do|did)\s*(?:not|n't)\s+(?:block|stop|prevent|stand in the way of|object to|oppose|veto)\b(?=.{0,40}\b(?:allies|countries|partners|transfers?|deliver\w*|re-export\w*|export\w*|sending|supplying|providing)\b)",
        "pledged_lethal",
        0.75,
        "will not block (permission)",
    ),
    (rf"\b(?:voted|votes|vote) (?:on \w+ )?to\s+(?:\w+\s+)?{_SEND}\b", "pledged_lethal", 0.85, "voted to supply"),
    (
        r"\bresum(?:e|es|ed|ing)\b(?=.{0,40}\b(?:shipments?|deliveries|aid|supplies|transfers?|assistance)\b)",
        "delivering_lethal",
        0.8,
        "resumed deliveries",
    ),
    (
        r"\bcontinu(?:e|es|ed|ing) to\s+(?:\w+\s+)?(?:deliver|send|supply|provide|ship|transfer)\b",
        "delivering_lethal",
        0.75,
        "continues to deliver",
    ),
    (
        r"\b(?:rejected|turned down|denied)\s+(?:a|the|an|its|their|kyiv's|ukraine's)?\s*(?:\w+\s+)?(?:request|requests|appeal|plea|call)s?\b",
        "prohibits",
        0.8,
        "rejected request",
    ),
    (
        r"\bno\s+(?:\w+\s+){0,4}(?:will|would)\s+be\s+(?:sent|deployed|supplied|delivered|provided)\b",
        "prohibits",
        0.75,
        "no … will be sent",
    ),
    (
        r"\bstay(?:s|ing)? out of the (?:conflict|war)\b|\bwill not be drawn into\b",
        "prohibits",
        0.5,
        "stays out of the war",
    ),
    # non-lethal only
    (r"\bnon-?lethal\b", "non_lethal", 0.75, "non-lethal"),
    (
        r"\b(?:only|solely|limited to|restricted to|confined to)\b.{0,60}\b(?:humanitarian|medical|helmets|vests|demining|financial|economic)\b",
        "non_lethal",
        0.75,
        "only humanitarian/non-lethal",
    ),
    (
        r"\b(?:humanitarian (?:aid|assistance|supplies)|helmets|bulletproof vests|body armou?r|medical (?:supplies|kits|equipment)|demining (?:equipment|gear))\b",
        "non_lethal",
        0.45,
        "non-lethal items",
    ),
    # open to lethal aid: hedged openness
    (
        r"\b(?:not|n't|never)\s+(?:\w+\s+)?(?:rule|ruling|ruled)\s+out\b|\bcannot be ruled out\b",
        "open_to_lethal",
        0.85,
        "not ruling out",
    ),
    (
        r"\b(?:not|n't|never)\s+(?:\w+\s+)?exclud(?:e|es|ed|ing)\b|\bcannot be excluded\b|\bcan't be excluded\b",
        "open_to_lethal",
        0.85,
        "does not exclude",
    ),
    (
        r"\ball (?:options|possibilities) (?:are |remain |stay )?(?:open|on the table)\b|\b(?:keep|keeps|keeping|kept) all (?:options|possibilities) open\b|\bnothing is off the table\b",
        "open_to_lethal",
        0.8,
        "all options open",
    ),
    (r"\b(?:depends?|depending|will depend|would depend|dependent) (?:on|upon)\b", "open_to_lethal", 0.6, "depends on"),
    (
        rf"\b(?:is|are|remains?|was)\s+open to\s+(?:the (?:idea|possibility) of\s+)?{_SEND}",
        "open_to_lethal",
        0.75,
        "open to",
    ),
    (
        rf"\b(?:could|may|might)\s+(?:\w+\s+)?(?:eventually |also |potentially )?{_SEND}\b",
        "open_to_lethal",
        0.5,
        "could/may supply",
    ),
    (r"\bpossibility of\b", "open_to_lethal", 0.45, "possibility of"),
    (r"\b(?:reconsider|rethink|revisit)(?:s|ing|ed)?\b", "open_to_lethal", 0.55, "reconsider"),
    # actively considering
    (
        r"\b(?:actively )?(?:consider(?:s|ing)?|(?<!be )(?<!been )considered|weigh(?:s|ing|ed)?|mull(?:s|ing|ed)?|contemplat(?:es|ing|ed))\b(?! to be\b)",
        "considering_lethal",
        0.8,
        "considering",
    ),
    (
        r"\b(?:reviewing|under review|under consideration|being considered|on the table|examining|studying|exploring|looking into|assessing)\b",
        "considering_lethal",
        0.65,
        "under review",
    ),
    (
        r"\b(?:would|will|could) be (?:the first (?:\w+ )?to be )?considered\b|\bto be considered\b",
        "open_to_lethal",
        0.5,
        "would be considered",
    ),
    (
        r"\b(?:discuss(?:es|ed|ing)?|talks? on|talks? about)\b(?=.{0,50}\b(?:whether|possibility|option|supply|supplying|sending|providing|delivery)\b)",
        "considering_lethal",
        0.55,
        "discussing whether",
    ),
    # conditional commitment
    (
        rf"\b(?:will|would|shall|is ready to|are ready to|is prepared to|are prepared to|stands ready to|agreed to)\s+(?:\w+\s+)?{_SEND}\b(?=.*\b(?:if|(?<!that )(?<!which )(?<!who )(?<!had )(?<!has )(?<!have )(?<!was )(?<!were )(?<!at )once|as soon as(?! possible| practicable| feasible| next\b| this\b| tomorrow| today| early\b| late\b| mid| \d)|provided that|on condition|in (?:phases|stages)|step by step|phased|unless|depending on)\b)",
        "conditional_lethal",
        0.8,
        "will supply … if/once/in phases",
    ),
    (rf"\b(?:ready|prepared|willing)\s+to\s+(?:\w+\s+)?{_SEND}\b", "conditional_lethal", 0.6, "ready to supply"),
    (
        r"\bphased (?:measures|approach|support|plan)\b|\bin (?:phases|stages)\b|\bstep[- ]by[- ]step\b",
        "conditional_lethal",
        0.45,
        "phased",
    ),
    # pledged: announced decisions and packages
    (
        rf"\b(?:will|shall|is going to|are going to|is to|are to)\s+(?:also\s+|soon\s+|now\s+|still\s+|quickly\s+|(?!on)\w+ly\s+)?{_SEND}\b",
        "pledged_lethal",
        0.75,
        "will supply",
    ),
    (r"\b(?:pledg(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|commit(?:s|ted|ting)? to)\b", "pledged_lethal", 0.8, "pledged"),
    (
        r"\b(?:announc(?:es|ed|ing)|unveil(?:s|ed|ing)|approv(?:es|ed|ing)|authori[sz](?:es|ed|ing)|agreed|decided|signed off on|cleared|green-?lit)\b(?!\s+(?:against|not)\b)(?=.{0,80}\b(?:package|tranche|aid|delivery|deliveries|transfer|transferring|shipment|supply|send|sending|supplying|provide|providing|handing over|weapons|arms|re-export|export|donation)\b)",
        "pledged_lethal",
        0.85,
        "announced/approved",
    ),
    (
        r"\b(?:new|latest|fresh|additional|further|another)\s+(?:\$?[\d.,]+\s*(?:billion|million|bn|m)?\s*)?(?:\w+\s+)?(?:military\s+|security\s+|weapons\s+|arms\s+)?(?:aid\s+)?(?:package|tranche)\b",
        "pledged_lethal",
        0.75,
        "new package",
    ),
    (r"\b(?:green light|go-ahead)\b", "pledged_lethal", 0.8, "green light"),
    (
        r"\b(?:is|are) (?:due|expected|scheduled|set) to (?:arrive|be delivered|be handed over|be sent)\b|\bwill (?:arrive|be delivered|be handed over)\b",
        "pledged_lethal",
        0.7,
        "due to arrive",
    ),
    (rf"\bwill allow\b.{{0,60}}\bto\s+{_SEND}\b", "pledged_lethal", 0.75, "will allow re-export"),
    # delivering: confirmed deliveries
    (
        r"\b(?:has|have|had)\s+(?:now\s+|already\s+|so far\s+|also\s+|finally\s+)?(?:delivered|sent|supplied|provided|shipped|flown|airlifted|handed over|transferred|given(?! (?:the |its |their )?(?:green light|go-ahead|approval|permission|nod|assurances))|finished delivering|completed (?:the )?deliver(?:y|ies))\b",
        "delivering_lethal",
        0.8,
        "has delivered",
    ),
    (
        r"\b(?:delivered|shipped|handed over|arrived|arrive[sd]? in|(?<!been )reached|been delivered|were delivered|was delivered|began arriving|started arriving)\b",
        "delivering_lethal",
        0.7,
        "delivered/arrived",
    ),
    (
        r"\b(?:deliveries|shipments) (?:have |has )?(?:begun|began|started|resumed|are under way|are underway|continue)\b|\bfirst (?:batch|shipment|deliveries|delivery)\b",
        "delivering_lethal",
        0.75,
        "deliveries began",
    ),
    (r"\b(?:sent|supplied|(?<!, )provided(?! that\b)|transferred)\b", "delivering_lethal", 0.55, "sent/supplied"),
    (
        r"\b(?:has |have |had )?received\b(?=.{0,80}\b(?:from|weapons|tanks|jets|shells|missiles|vehicles|systems|drones|ammunition|howitzers)\b)(?!.{0,60}\brequests?\b)",
        "delivering_lethal",
        0.7,
        "received",
    ),
]

# --- lex-1.1 cue families: paraphrases the first lexicon missed -------------------------------------
# Written from general English usage, not from single articles. Same format as CUES.
_AUX = r"(?:will|would|shall|does|do|did|is|are|was|were|has|have|had|can|could)"
_ARMS_OBJECT = (
    r"(?:weapons?|arms|munitions|ammunition|shells|missiles|tanks|jets|aircraft|howitzers|guns|drones|systems?|"
    r"vehicles|batter(?:y|ies)|troops|soldiers|aid|package|equipment|war material|materiel)"
)
CUES_1_1: list[tuple[str, str, float, str]] = [
    # prohibits — negated intent, permission refused, nominal refusals and bans, restraint verbs.
    (
        rf"\b{_AUX}\s*{_NEG}\s+(?:plan(?:ning)?|intend(?:ing)?|want|wish|expect(?:ing)?|aim(?:ing)?)\s+to\b",
        "prohibits",
        0.8,
        "does not plan to",
    ),
    (
        rf"\b(?:{_AUX}\s*{_NEG}|cannot|can't|won't|refus(?:es|ed|ing) to|declin(?:es|ed|ing) to)\s+(?:allow|permit|authori[sz]e|approve|license|licence)\b(?=.{{0,60}}\b(?:{_SEND}|transit|cross|pass through|exports?|re-exports?|licen[cs]es?)\b)",
        "prohibits",
        0.85,
        "will not allow/authorise",
    ),
    (
        rf"\b(?:refusal|unwillingness|reluctance) to\b|\b(?:ban|embargo|moratorium|freeze) on\b(?=.{{0,60}}\b{_ARMS_OBJECT}\b)",
        "prohibits",
        0.75,
        "refusal/ban (noun)",
    ),
    (
        r"\brefrain(?:s|ed|ing)? from\b|\bhold(?:s|ing)? back (?:on|from)\b|\bheld back (?:on|from)\b|\bnot (?:a|one) single (?:bullet|shell|weapon|round)\b",
        "prohibits",
        0.75,
        "refrains from",
    ),
    (
        rf"\b(?:froze|frozen|freezes|freezing)\b(?=.{{0,60}}\b(?:licen[cs]es?|exports?|sales|{_ARMS_OBJECT})\b)",
        "prohibits",
        0.8,
        "froze (licences/exports)",
    ),
    (
        rf"\b(?:under no circumstances|in no circumstances|in no way|by no means|at no point)\b(?=.{{0,50}}\b{_SEND}\b)|\bdecided (?:against|not to)\b|\bdecision not to\b",
        "prohibits",
        0.85,
        "under no circumstances / decided against",
    ),
    # open_to_lethal — negated rule-out via refusal verbs ("refused to rule out" = did not rule out).
    (
        r"\b(?:refus(?:es|ed|ing)|declin(?:es|ed|ing)|would not|will not|did not) to? ?(?:rule|ruling) out\b|\b(?:refus(?:es|ed|ing)|declin(?:es|ed|ing)) (?:[\w,]+ ){0,3}?to (?:rule out|exclude)\b",
        "open_to_lethal",
        0.85,
        "refused to rule out",
    ),
    # considering_lethal — undecided but on the agenda.
    (
        r"\bno (?:final )?decision (?:yet|has (?:yet )?been (?:made|taken|reached)|was (?:made|taken|reached)|had (?:yet )?been (?:made|taken|reached))\b|\bno decision\b(?=.{0,20}\b(?:on|about|whether)\b)|\bnothing (?:is|has been|was) (?:yet )?decided\b|\b(?:has|have) (?:yet|not yet) (?:to )?decided?\b|\bnot yet decided\b",
        "considering_lethal",
        0.6,
        "no decision yet",
    ),
    (
        r"\b(?:studying|examining|assessing|evaluating|exploring|weighing|discussing) (?:the|a|possible|potential) (?:\w+ )?(?:delivery|deliveries|transfer|supply|donation|dispatch|handover|provision|sending)\b",
        "considering_lethal",
        0.8,
        "studying the delivery of",
    ),
    (
        r"\blooking at (?:whether|options|the (?:option|possibility|idea)|sending|supplying|providing|delivering)\b|\b(?:weighing|mulling|discussing|debating|deciding|in talks on|in talks about) (?:whether|supplying|sending|providing|delivering)\b",
        "considering_lethal",
        0.75,
        "looking at whether",
    ),
    # pledged_lethal — commitments phrased as continuation, offers, gifts and donations.
    (
        rf"\b(?:will|would|shall|to|going to)\s*(?:,?\s*\w+,?\s+){{0,2}}(?:keep|continue)\s+(?:on\s+)?(?:to\s+)?{_SEND}\b",
        "pledged_lethal",
        0.8,
        "will keep supplying",
    ),
    (rf"\boffer(?:s|ed|ing)? to\s+{_SEND}\b", "pledged_lethal", 0.75, "offered to supply"),
    (
        r"\b(?:will|shall|is to|are to|is due to|are due to)\s+(?:also\s+|soon\s+)?go to\b",
        "pledged_lethal",
        0.65,
        "will go to",
    ),
    (
        rf"\b(?:said|says|announced|confirmed|stated|told [\w'-]+(?: [\w'-]+)?)\s+(?:again\s+|also\s+|repeatedly\s+)?(?:on \w+\s+)?(?:that\s+)?(?:it|they|he|she|[\w'-]+(?:\s+[\w'-]+)?)\s+would\s+(?:also\s+|soon\s+|now\s+)?{_SEND}\b",
        "pledged_lethal",
        0.75,
        "said it would supply",
    ),
    (
        r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:arrived|been delivered|been handed over|been shipped|reached)\b|\b(?:yet|still) to (?:arrive|be delivered|be handed over|be shipped)\b",
        "pledged_lethal",
        0.75,
        "not yet delivered",
    ),
    (
        rf"\b(?<!no )(?<!not )(?:plans?|planning|intends?|intending) to\s+(?:\w+\s+)?{_SEND}\b",
        "pledged_lethal",
        0.7,
        "plans to supply",
    ),
    (
        rf"\b(?:committed|earmarked|allocated|set aside)\b(?=.{{0,60}}\b{_ARMS_OBJECT}\b)",
        "pledged_lethal",
        0.75,
        "committed/earmarked",
    ),
    (
        r"\b(?:donat(?:ed|es)|gifted|gifts)\b|\bdonation (?:of|package)\b|\b(?:has|have) (?:decided|agreed) to\b",
        "pledged_lethal",
        0.6,
        "donated (committed)",
    ),
    (
        rf"\b(?:fund|funds|funding|finance|finances|financing|pay for|pays for|paying for)\s+(?:the\s+)?(?:purchase|procurement|production)\s+of\s+(?:[\w,.-]+\s+){{0,2}}{_ARMS_OBJECT}\b|\bcontribut(?:e|es|ing) (?:funds|money) (?:for|to)\b(?=.{{0,40}}\b{_ARMS_OBJECT}\b)",
        "pledged_lethal",
        0.7,
        "funds arms purchases",
    ),
    # delivering_lethal — ongoing supply in the present ("keeps sending", "is supplying Russia with").
    (
        rf"\b(?:keeps?|kept|continues?|continued)\s+(?:on\s+)?{_SEND}\b",
        "delivering_lethal",
        0.75,
        "keeps supplying",
    ),
    (
        r"\b(?:is|are|was|were|has been|have been)\s+(?:also\s+|still\s+|now\s+)?(?:supplying|sending|shipping|delivering|providing|arming)\b",
        "delivering_lethal",
        0.7,
        "is supplying",
    ),
    (
        r"\b(?:were|was|has been|have been|had been)\s+(?:\w+\s+)?(?:handed over|delivered|shipped|transferred|sent)\b",
        "delivering_lethal",
        0.75,
        "were handed over",
    ),
]
CUES += CUES_1_1

# --- lex-1.2 cue families: found by studying an independent author's articles --------------------
# Same format as CUES; each family is phrased from general reporting usage, not from one article.
_LICENCE = (
    r"(?:(?:arms |weapons |export |new |further |any )*(?:export )?licen[cs]es?|(?:arms |weapons )?exports?|sales?)"
)
CUES_1_2: list[tuple[str, str, float, str]] = [
    # prohibits — "will send neither X nor Y", "will not let … cross", licences refused or frozen.
    (rf"\b{_SEND}\s+neither\b|\bneither\s+{_SEND}\b", "prohibits", 0.85, "neither … nor"),
    (
        rf"\b(?:{_AUX}\s*{_NEG}|won't|cannot|can't)\s+let\b(?=.{{0,80}}\b(?:{_SEND}|transit|cross|pass|through)\b)",
        "prohibits",
        0.8,
        "will not let (through)",
    ),
    (
        rf"\b(?:{_AUX}\s*{_NEG}|won't|cannot|can't)\s+(?:grant|issue|approve|renew|sign off on)\s+(?:any\s+)?{_LICENCE}\b|\b(?:grant|issue|approve|authori[sz]e)s?\s+no\s+{_LICENCE}\b",
        "prohibits",
        0.85,
        "grants no licences",
    ),
    (
        rf"\b(?:suspend(?:s|ed|ing)?|revok(?:e|es|ed|ing)|cancel(?:s|led|ling)?|paus(?:e|es|ed|ing)|freez(?:e|es|ing)|froze)\s+(?:\w+\s+){{0,5}}?(?:approvals? (?:of|for)\s+)?{_LICENCE}\b",
        "prohibits",
        0.85,
        "suspends licences/exports",
    ),
    (rf"\b{_AUX}\s*{_NEG}\s+(?:\w+\s+)?go (?:on )?to\b", "prohibits", 0.8, "will not go to"),
    (
        r"\b(?:there (?:will|would) be|(?:is|are|was|were)) [\"“‘']?no (?:\w+ ){0,2}(?:troops|soldiers|weapons|arms|deliveries|boots on the ground)\b",
        "prohibits",
        0.75,
        "there will be no …",
    ),
    (
        r"\b(?:declin(?:es|ed|ing)|refus(?:es|ed|ing)|reject(?:s|ed|ing)|turn(?:s|ed|ing) down)\s+(?:[\w'’-]+\s+){0,2}?requests?\b",
        "prohibits",
        0.75,
        "declining requests",
    ),
    # open_to_lethal — "nothing can be ruled out", options kept open, "hinges on", beyond non-lethal aid.
    (
        r"\bnothing (?:can|could|should|will|would|is|was) (?:be )?(?:ruled out|excluded)\b",
        "open_to_lethal",
        0.85,
        "nothing ruled out",
    ),
    (r"\b(?:keep(?:s|ing)?|kept) (?:its|their|all|his|her|our) options open\b", "open_to_lethal", 0.8, "options open"),
    (r"\b(?:hinge|hinges|hinged|hinging) on\b", "open_to_lethal", 0.6, "hinges on"),
    (
        r"\b(?:not|n't|never)\s+(?:\w+\s+)?clos(?:e|ed|ing) the door\b|\b(?:leav(?:e|es|ing)|left|keep(?:s|ing)?|kept) the door open\b|\bthe door (?:is|remains|stays) open\b",
        "open_to_lethal",
        0.8,
        "door left open",
    ),
    # considering_lethal — talks about a transfer with partners.
    (
        r"\bin (?:talks|discussions|consultations) (?:with [\w\s,'-]{1,40}? )?(?:about|on|over) (?:sending|supplying|providing|delivering|transferring|the (?:delivery|transfer|supply|provision|sending))\b",
        "considering_lethal",
        0.7,
        "in talks about sending",
    ),
    (
        r"\b(?:go|goes|going|move|moving|widen|widening|expand|expanding|extend|extending)\b.{0,40}\bbeyond (?:humanitarian|non-?lethal|economic|financial)\b",
        "open_to_lethal",
        0.75,
        "beyond non-lethal aid",
    ),
    # pledged_lethal — passive future, "buy … and donate", increases, state-approved sales and contracts.
    (
        r"\b(?:will|would|shall)\s+(?!not\b|never\b)(?:\w+\s+)?be\s+(?:\w+\s+and\s+)?(?:transferred|handed over|delivered|sent|supplied|shipped|provided|donated|dispatched)\b",
        "pledged_lethal",
        0.75,
        "will be transferred",
    ),
    (
        rf"\bwill\s+(?!not\b)(?:\w+\s+)?(?:buy|purchase|procure|acquire|finance|fund)\b.{{0,80}}\band\s+(?:then\s+)?{_SEND}\b",
        "pledged_lethal",
        0.8,
        "will buy and donate",
    ),
    (
        r"\b(?:will|to|would)\s+(?:\w+\s+)?(?:increase|boost|step up|ramp up|expand|double|triple|top up)\b(?=.{0,50}\b(?:military|defen[cs]e|security|weapons|arms)\s+(?:support|aid|assistance|help)\b)",
        "pledged_lethal",
        0.75,
        "will increase military support",
    ),
    (
        r"\b(?:approv(?:es|ed|ing)|clear(?:s|ed|ing)?|authori[sz](?:es|ed|ing))\s+(?:the\s+|a\s+)?(?:possible\s+|potential\s+|proposed\s+)?(?:sale|export|transfer)s?\s+of\b",
        "pledged_lethal",
        0.85,
        "approved the sale of",
    ),
    (
        rf"\bsign(?:s|ed|ing)?\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:contract|deal|agreement)\s+to\s+{_SEND}\b",
        "pledged_lethal",
        0.8,
        "signed a contract to supply",
    ),
    (
        rf"\b(?<!no )(?<!any )(?<!possible )(?<!potential )(?<!future )(?:decision|decisions|move|plan) to\s+(?:\w+\s+)?{_SEND}\b",
        "pledged_lethal",
        0.7,
        "decision to supply",
    ),
    (
        r"\b(?:will|is to|are to|is due to|are due to|is set to|are set to|is expected to|are expected to)\s+(?:\w+\s+)?(?:receive|get|obtain)\b",
        "pledged_lethal",
        0.7,
        "will receive",
    ),
    (
        rf"\b(?:became|becomes|become|is|was) the (?:first|latest|second|third|only) (?:\w+ )?(?:country|nation|member|ally|state|government) to\s+{_SEND}\b",
        "pledged_lethal",
        0.7,
        "first country to supply",
    ),
    # delivering_lethal — receipt phrased as the recipient's act, and deployed systems in place.
    (
        rf"\b(?:began|begun|begin|begins|started|start|starts)\s+(?:to\s+)?{_SEND}\b",
        "delivering_lethal",
        0.8,
        "began delivering",
    ),
    (
        r"\b(?:has|have|had)\s+(?:now\s+|already\s+|also\s+)?handed\b",
        "delivering_lethal",
        0.75,
        "has handed",
    ),
    (
        r"\btook delivery of\b|\btaken delivery of\b|\btakes delivery of\b|\btaking delivery of\b",
        "delivering_lethal",
        0.8,
        "took delivery of",
    ),
    (
        r"\b(?:is|are|was|were)\s+(?:now\s+)?(?:in place|deployed|stationed|operational)\s+in\b",
        "delivering_lethal",
        0.75,
        "in place in",
    ),
]
CUES += CUES_1_2

# lex-1.3: "will not hand Ukraine Germany's Taurus" (a bare "hand" is too common to be a supply verb
# everywhere: "on the other hand").
CUES_1_3: list[tuple[str, str, float, str]] = [
    (
        r"\b(?:will|would|does|do|did|can|could)\s*(?:not|n't)\s+hand\s+(?!over\b)(?:the\s+)?\w+|\bwon't hand\s+(?!over\b)\w+",
        "prohibits",
        0.85,
        "will not hand X",
    ),
    # "expects to deliver six jets around the turn of the year": a schedule, not a delivery yet.
    (rf"\b(?<!not )expect(?:s|ed|ing)? to\s+{_SEND}\b", "pledged_lethal", 0.8, "expects to deliver"),
]
CUES += CUES_1_3

# --- lex-1.4 cue families: idioms, laws, permissions and completed handovers ----------------------
# Found by studying a fourth author's articles (blind3); each is phrased from general reporting usage.
CUES_1_4: list[tuple[str, str, float, str]] = [
    # open — "we have not taken it off the table" keeps the option (beats the bare "off the table").
    (
        r"\b(?:not|n't|never)\s+(?:\w+\s+)?(?:taken|take|taking|took)\s+(?:[\w-]+\s+){0,6}?off the table\b",
        "open_to_lethal",
        0.6,
        "not taken off the table",
    ),
    (
        r"\b(?:leav(?:e|es|ing)|left|keep(?:s|ing)?|kept)\s+(?:it|the door|the option|the possibility|that)\s+ajar\b|\bthe door ajar\b",
        "open_to_lethal",
        0.75,
        "door left ajar",
    ),
    # prohibits — idioms of refusal, and laws or decrees that ban arms transfers.
    (
        r"\b(?:does|do|did) not arise\b|\bout of the question\b|\bnot on the agenda\b|\b(?:shut|shuts|shutting|close|closes|closed|closing|slam(?:s|med|ming)?)\s+(?:the\s+)?door on\b",
        "prohibits",
        0.8,
        "out of the question / shuts the door",
    ),
    (
        r"\b(?:approv|pass|adopt|enact|sign|introduc)\w*\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:law|decree|decree-law|bill|legislation|measure|regulation|resolution|ordinance)\s+(?:banning|prohibiting|barring|outlawing|that (?:bans|prohibits|bars|outlaws)|to (?:ban|prohibit|bar|outlaw)|imposing an? (?:arms )?embargo)\b",
        "prohibits",
        0.9,
        "law banning",
    ),
    (r"\b(?:banning|prohibiting|outlawing)\b", "prohibits", 0.75, "ban/block"),
    (
        r"\b(?<!lift the )(?<!lifted the )(?<!lifts the )(?<!lifting the )(?<!end the )(?<!ended the )(?:arms|weapons) embargo\b",
        "prohibits",
        0.7,
        "arms embargo",
    ),
    (
        r"\b(?:aid|assistance|cooperation|deliveries|shipments|exports|transfers|supplies|training)\b[^.;]{0,60}?\b(?:has|have|had|was|were|is|are)\s+(?:been\s+|being\s+)?(?:halted|paused|suspended|frozen|stopped|cut off)\b",
        "prohibits",
        0.8,
        "aid was halted",
    ),
    # considering — "actively reviewing", "the option was being studied".
    (
        r"\bactively (?:reviewing|studying|examining|exploring|assessing|looking at|discussing)\b",
        "considering_lethal",
        0.8,
        "actively reviewing",
    ),
    (
        r"\b(?:is|are|was|were) (?:still |now )?being (?:studied|reviewed|examined|weighed|assessed|explored)\b",
        "considering_lethal",
        0.65,
        "under review",
    ),
    # pledged — permission granted to others ("gave Poland permission to send"), approval of a sale or
    # transfer in nominal form, decisions to give, "we're going to send", "the missiles will follow".
    (
        rf"\b(?:gave|give|gives|giving|granted|grant|grants|granting)\s+(?:[\w'’-]+\s+){{0,3}}?(?:permission|approval|consent|(?:the|a) green light|the go-ahead)\s+(?:\w+\s+){{0,3}}?to\s+(?:re-export\s+|\w+\s+)?{_SEND}\b",
        "pledged_lethal",
        0.8,
        "gave permission to supply",
    ),
    (
        r"\b(?:expedite|fast-track|speed up|grant|give|issue)\s+(?:its\s+|the\s+|an?\s+)?(?:approval|permission|consent)\s+(?:of|for|to)\s+(?:the\s+|any\s+)?(?:transfers?|re-exports?|deliver(?:y|ies)|sales?)\b",
        "pledged_lethal",
        0.75,
        "grants approval of transfers",
    ),
    (
        r"\b(?:approv(?:al|es|ed|ing)|clearance|authori[sz]ation)\s+(?:of\s+|for\s+)?(?:the\s+|a\s+)?(?:possible\s+|potential\s+|proposed\s+)?(?:sale|export|transfer)s?\s+(?:to\s+(?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+){0,2}?\s+)?of\b",
        "pledged_lethal",
        0.85,
        "approved the sale of",
    ),
    (
        rf"\b(?:decided|decides|agreed|agrees|resolved)\s+(?:today\s+|on \w+\s+)?to\s+(?:\w+\s+)?{_SEND}\b",
        "pledged_lethal",
        0.8,
        "decided to supply",
    ),
    (rf"(?:'re|’re|'s|’s)\s+going to\s+(?:\w+\s+)?{_SEND}\b", "pledged_lethal", 0.75, "will supply"),
    (
        r"\b(?:will|shall|are to|is to|are due to|is due to|are set to|is set to)\s+(?:also\s+|soon\s+)?follow\b",
        "pledged_lethal",
        0.65,
        "will follow",
    ),
    # delivering — "completed the handover of its first four jets".
    (
        r"\bcomplet(?:ed|es|ing)\s+(?:the\s+|its\s+|their\s+)?(?:hand-?over|delivery|deliveries|transfer)\b",
        "delivering_lethal",
        0.75,
        "completed the handover",
    ),
]
CUES += CUES_1_4
_CUE_RES = [(re.compile(p), level, strength, label) for p, level, strength, label in CUES]
# Speed: most clauses match few or none of the cues, so they are tried in runs of 12 behind one
# combined pattern (the union of the run: `|` joins them, and none has groups, back-references or
# inline flags). A run whose union finds nothing is skipped; otherwise its cues are scanned from the
# union's first match, before which none of them can match. Same hits, in the same order.
_CUE_RUN = 12
_CUE_RUNS = [
    (re.compile("|".join(p for p, *_ in CUES[i : i + _CUE_RUN])), _CUE_RES[i : i + _CUE_RUN])
    for i in range(0, len(CUES), _CUE_RUN)
]
assert all(r.groups == 0 and r.flags == re.compile("").flags for r, *_ in _CUE_RES)

# Clauses to skip or discount.
REQUEST = re.compile(
    r"\b(?:ask(?:s|ed|ing)?|urg(?:es|ed|ing|e)|request(?:s|ed|ing)?|call(?:s|ed|ing)? (?:on|for)|appeal(?:s|ed|ing)?|"
    r"press(?:es|ed|ing)?(?!\s+(?:release|conference|briefing|statement|office|secretary|service|agency|freedom))|plead(?:s|ed|ing)?|lobby(?:ing)?|lobbied|seek(?:s|ing)?|sought|want(?:s|ed)?|hopes?|count on|"
    r"counting on|demand(?:s|ed|ing)?|wish list|shopping list|list of (?:requests|needs|items)|requests? for)\b"
)
DENIAL = re.compile(
    r"\b(?:denied|denies|denying|dismissed|dismisses)\b(?=.{0,80}\b(?:reports?|claims?|allegations?|supplying|sending|providing|delivering|having|plans?)\b)"
)
# Frames that cancel every cue after them in the clause: "stopped short of committing to weapons" is
# neither a halt nor a pledge.
CANCELLING_FRAME = re.compile(
    r"\b(?:stop(?:s|ped|ping)? short of|f(?:a|e)ll(?:s|ing)? short of|without (?:committing|promising|pledging)|"
    r"(?:is|was|are|were) (?:not|no) (?:a )?(?:commitment|pledge|promise) to)\b"
)
# Permission to export to a country ("cleared the export of 40 howitzers to Ukraine") is a transfer
# decision, not a commercial deal.
EXPORT_PERMISSION = re.compile(
    r"\b(?:clear(?:s|ed|ing)?|approv(?:es|ed|ing)|authori[sz](?:es|ed|ing)|green-?lit|allow(?:s|ed|ing)?|permit(?:s|ted|ting)?|licens(?:es|ed|ing))\s+(?:the\s+)?(?:re-)?exports?\b"
)
# Speakers who are not the government: the opposition, candidates, former officials. What they would
# do is not the government's stance, even when their names are in the alias table ("Merz").
NON_GOVERNMENT = re.compile(
    r"\b(?:opposition|(?:a|any|the next|a future) government (?:led by|under)\b|future government|if elected|"
    r"if (?:he|she|they) (?:wins?|won|were elected|is elected|comes? to power|came to power)|"
    r"(?:presidential|chancellor|party|opposition) candidate|former (?:president|prime minister|chancellor|\w+ minister|national security adviser|officials?))\b",
    re.IGNORECASE,
)
# A generic arms noun that points back to the previous sentence's weapon ("bans such munitions",
# "refused to send the missiles") takes that weapon's class as its scope.
_ANAPHORIC_ARMS = re.compile(
    r"\b(?:such|these|those|the same|the)\s+(?:weapons|missiles|munitions|systems|arms|rockets)\b(?!\s+(?:package|aid|deliveries|shipments|exports|industry|makers|sales|policy))",
    re.IGNORECASE,
)
# A clause that points back at arms named in the previous sentence ("studying the request").
ANAPHORA = re.compile(
    r"\b(?:the|that|this|such a|a|its|their|his|her|kyiv's|ukraine's)\s+(?:\w+\s+)?(?:request|requests|list|proposal|idea|plan|step|option|move|offer|package|transfers?|delivery|deliveries|handover|systems?|missiles|jets|tanks|shells|weapons|them)\b|\bdo so\b|\bsupply(?:ing)? them\b|\bsend(?:ing)? them\b"
)
WARNING = re.compile(
    r"\b(?:criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|slamm?(?:s|ed)?|warn(?:s|ed|ing)?|threaten(?:s|ed|ing)?|caution(?:s|ed)?|would be a (?:mistake|grave mistake)|consequences)\b"
)
COMMERCIAL = re.compile(
    r"\b(?:contracts?|deals?|orders?|order backlog|sales?|sold|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|procure(?:s|d|ment)?|"
    r"(?<!re-)export(?:s|ed|ing|er|ers)?|company|companies|firm|manufacturer|maker|revenue|profit|shares|stock market|won worth|"
    r"produc(?:e|es|ed|ing|tion)|output|factory|factories|capacity|tender|"
    r"for (?:its|their) own (?:army|armed forces|military|forces|use|stocks))\b"
)
AID_WORDS = re.compile(
    r"\b(?:aid|donat\w*|gift\w*|package|assistance|support|help|pledg\w*|free of charge|military aid|initiative|coalition|on behalf of|contribut\w*|fund(?:s|ed|ing)?|financ(?:e|es|ed|ing)|scheme|programme|program)\b"
)
TEST_OR_DRILL = re.compile(r"\b(?:test(?:s|ed|ing)?|test-fire[sd]?|launch(?:es|ed)?|drills?|exercises?|parade)\b")
BACKGROUND = re.compile(
    r"\b(?:previously|so far|until now|up to now|until recently|in the past(?! (?:few |two |three |several |\d+ )?(?:days?|weeks?|hours?|month)\b)|initially|originally|at the time|at that time|"
    r"since (?:the (?:start|beginning|outbreak) of|20[0-2]\d|russia's (?:full-scale )?invasion)|at the (?:start|beginning|outset) of|(?<!since )last year|earlier this year|in (?:(?:early |late |mid-)?(?:january|february|march|april|may|june|july|august|september|october|november|december|(?:the )?(?:spring|summer|autumn|fall|winter)(?: of)?) )?20[0-2]\d|had (?:long |for months |for years |earlier |once |previously |initially |originally )?(?:\w+ed|been|only|given|sent|provided|refused|said|made|kept)|(?<!be )(?<!being )(?<!been )used to|over the past(?! (?:few |two |three |several |\d+ )?(?:days?|weeks?|hours?|month)\b)|in recent (?:years|months)|(?:has|have) long)\b"
)
HEDGE = re.compile(
    r"\b(?:could|may|might|likely|possibly|perhaps|expected to|is said to|are said to|reportedly|appears? to|would)\b"
)
ATTRIBUTION = re.compile(
    r"\b(?:familiar with|anonymity|not to be named|not be named|unnamed|anonymous|insiders?|(?:a|an|one|two|three|four|several|some|other) (?:\w+ ){0,3}(?:officials?|sources?|diplomats?|people|aides?|lawmakers)|(?:officials?|sources?|diplomats?) (?:said|say|told|familiar)|according to (?:a |two |three |several |government |diplomatic |defence |military |senior )*(?:officials?|sources?|diplomats?|people))\b",
    re.IGNORECASE,
)
MEDIA_CUES = re.compile(
    r"\b(?:reported(?:ly)?|reports? (?:say|said|suggest|suggested|indicate|indicated)|reports?\b[^.;]{0,30}\bthat|according to (?:the )?(?:newspaper|daily|media|reports?|broadcaster|agency|[A-Z][\w-]+(?: [A-Z][\w-]+)*)|local media|media reports|the newspaper said|news agency said|is said to|are said to|citing (?:unnamed |anonymous |senior |government |diplomatic |military )*(?:sources?|officials?|people|reports?|media|documents?|a report))\b"
)
CONDITION = re.compile(
    r"\b(?:if|once|as soon as|provided that|on condition that|unless|depending on|depends on|dependent on|red line|should)\b[^.,;:!?\"”]{3,120}",
    re.IGNORECASE,
)
SPEAKER = re.compile(
    r"\b(?:(?:President|Prime Minister|Chancellor|Foreign Minister|Defen[cs]e Minister|Defen[cs]e Secretary|Secretary of State|"
    r"Foreign Secretary|Minister|Secretary|Spokes(?:man|woman|person)|Premier|Vice Minister|Ambassador)\s+(?:[A-Z][\w'-]+\s?){1,3})"
    r"|\b[Tt]he (?:[A-Z][\w-]+ ){1,3}(?:government|defen[cs]e ministry|foreign ministry|presidential office)\b"
    r"|\b(?:[Tt]he|[Aa]n?) (?:senior |top |presidential |government |defen[cs]e |foreign |military |ministry |unnamed )*"
    r"(?:presidential office|defen[cs]e ministry|foreign ministry|ministry of (?:national )?defen[cs]e|government spokes(?:man|woman|person)|spokes(?:man|woman|person)|official|officials|White House|Pentagon|Kremlin|Elysee|Élysée|presidential office)\b"
)
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'’-]{2,40})(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s*"
)

_ABBREV = re.compile(
    r"\b(?:U\.S|U\.K|U\.N|E\.U|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Sgt|Adm|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Sen|Rep|Gov|Inc|Corp|Co|vs|approx|e\.g|i\.e)\."
)
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
# "Spain will send missiles and Italy is studying …", "Lithuania will transfer APCs, Latvia will hand over
# drones": a new capitalised subject with its own finite verb starts a new clause.
_NEW_SUBJECT_SPLIT = re.compile(
    r"(?:,\s+|\s+and\s+|,\s+and\s+)(?=(?:the\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s+(?:will|would|is|are|has|have|was|were|had|plans|intends|does|did)\s+(?!said\b))"
)
_CONDITION_START = re.compile(r"^\W*(?:if|once|unless|as soon as|provided|should|when|whether)\b", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(
    r";\s+|,\s+(?:while|whereas|but|although|though)\s+|\s+but\s+(?=[a-z]+ )|,\s+and\s+(?=[A-Z]|(?:there|it|they|we|he|she)\s|(?:will|would|has|have|is|are|plans to|intends to)\s+(?!been\b))|(?<!U\.S)(?<!U\.K)(?<!U\.N)(?<!E\.U)\.\s+"
)

# Position words: where a country mention sits tells us whether it gives or receives.
_RECIPIENT_BEFORE = re.compile(
    r"(?:\b(?:to|for|towards|into)\s+(?:the\s+)?|\b(?:arm|arming|arms|supply|supplying|supplies|supplied|help|helping|helps|support|supporting|supports|equip|equipping|aid|aiding|back|backing|backs|assist|assisting|give|giving|gives|gave|given|provide|providing|provided|send|sending|sent|offer|offering|sell|selling)\s+(?:the\s+)?|\bfor use (?:in|by)\s+(?:the\s+)?(?:(?:war|conflict|fighting) in\s+)?|\b(?:to|for) the (?:war|conflict|fighting) in\s+|\barrived? in\s+|\barriving in\s+|\breached\s+|\bdelivered to\s+|\bhand(?:s|ed|ing)?\s+|\b(?:in place|stationed|deployed|based) in\s+(?:the\s+)?|\b(?:train|training|trains|trained)\s+)$"
)
_NOT_RECIPIENT_BEFORE = re.compile(
    r"\b(?:response|respond|reaction|reply|close|ties|relations|threat|visit|trip|travel|travelled|traveled|flew|ambassador|envoy|embassy|compared|according|due|thanks|similar|next|owing|letter|message|note|reply|speech|return|returned|belong|belongs|loyal|attached|committed|linked|equal|opposed|contrary|prior|close|adjacent|exports)\s+(?:\w+\s+)?(?:to|for|in)\s+(?:the\s+)?$"
)
_RECIPIENT_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?!own\b)(?:\w+\s+)?(?:request|requests|appeal|army|military|armed forces|forces|air defen[cs]es?|defen[cs]es?|defen[cs]e|war effort|troops|soldiers|front|front lines|needs|fight|counteroffensive|arsenal|resistance)\b|^\s+with\s+(?:\w+\s+){0,3}(?:weapons|arms|shells|missiles|tanks|jets|ammunition|drones)"
)
# "tanks sent by the United States", "vehicles from Sweden", "thanked Norway": only right after aid words, so
# "requests from Germany" or "crossed into Ukraine from Poland" do not make a donor.
_DONOR_BEFORE = re.compile(
    r"(?:\b(?:sent|supplied|delivered|provided|donated|pledged|promised|given|made available|funded|financed|weapons|arms|"
    r"tanks|jets|aircraft|warplanes|helicopters|shells|rounds|missiles|vehicles|systems|drones|howitzers|aid|assistance|package|packages|deliveries|"
    r"equipment|ammunition|launchers|batteries|units|support)\s+(?:\w+\s+)?(?:by|from)\s+(?:the\s+)?|\bthank(?:s|ed|ing)?\s+(?:the\s+)?)$"
)
_DONOR_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:(?:latest|new|first|own|\w+-year)\s+)?(?:refusal|reluctance|decision|pledge|promise|offer|stance|position|policy|ban|embargo|freeze|donation|contribution|deliveries|package|gift)\b"
    r"|^(?:'s|’s)?\s*(?:(?:new|own|outgoing|current|senior|top|\w+)\s+)?(?:government|officials?|authorities|president|prime minister|chancellor|leader|premier|cabinet|ministry|minister|defen[cs]e|foreign|presidential|military|army|spokes\w+|administration|parliament|national security|intelligence)\b"
    r"|^\s+(?:President|Prime Minister|Chancellor|Premier|Foreign|Defen[cs]e|State Department|Congress|Senate|officials?|government|ministry|minister|leader|authorities|administration|diplomats?|law|laws|rules|neutrality|constitution|parliament|lawmakers|lower house|upper house|cabinet|army|military)\b"
    r"|^\s+(?:said|says|announced|announces|told|will|would|has|have|had|is|are|was|were|does|did|cannot|can|could|may|might|should|must|plans|pledged|pledges|promised|agreed|decided|refused|refuses|rejected|confirmed|delivered|sent|supplied|approved|ruled|paused|halted|suspended|stopped|remains|insists|insisted|stressed|added|denied|declined|warned|maintains|maintained|continues|keeps|kept|opposes|opposed)\b"
)


# "North Korean artillery shells", "US-made Abrams tanks": the country of origin of the arms.
_ORIGIN_AFTER = re.compile(
    r"^(?:-made|-built|-designed|-produced)\b|^(?:-supplied)?\s+(?:[\w/-]+\s+){0,2}?(?:weapons|arms|missiles|tanks|jets|shells|munitions|ammunition|howitzers|drones|rockets|artillery|fighter jets|air defen[cs]e systems|troops|soldiers|military personnel)\b"
)


@dataclass
class _Mention:
    code: str
    start: int
    end: int
    text: str


@dataclass
class _Candidate:
    co_recipients: tuple[str, ...]
    co_donors: tuple[str, ...]
    donor: str
    recipient: str
    level: str
    scope: str | None
    evidence: str
    reason: str
    score: float
    certainty: str
    weapons: tuple[str, ...]
    conditions: tuple[str, ...]
    speaker: str
    background: bool
    sentence_index: int


@dataclass
class AliasTable:
    """Country aliases compiled into one case-sensitive regex (longest alias first)."""

    pattern: re.Pattern
    by_alias: dict[str, str]

    @classmethod
    def from_mapping(cls, aliases: Mapping[str, Iterable[str]]) -> "AliasTable":
        by_alias: dict[str, str] = {}
        for code, names in aliases.items():
            for name in names:
                name = name.strip()
                # One- and two-letter aliases (other than acronyms such as "US", "UK") only add noise.
                if len(name) < 2 or (len(name) < 3 and not name.isupper()):
                    continue
                by_alias.setdefault(name, code)
        ordered = sorted(by_alias, key=len, reverse=True)
        # Capitalised words only: "US" must not match "us", "Turkey" not "turkey".
        # "U.S.-made", "Russian-built": the origin prefix still names the country.
        # Speed: the alternatives are grouped by their first character, each group written as that
        # character, then the "no word character before" check, then the rest of its aliases in the
        # same longest-first order: the same matches as "(?<![\w.-])(?:alias|…)", but the regex engine
        # can jump to the characters an alias may start with instead of trying every position.
        by_first: dict[str, list[str]] = defaultdict(list)
        for alias in ordered:
            by_first[alias[0]].append(alias)
        pattern = re.compile(
            r"(?:"
            + "|".join(
                rf"{re.escape(first)}(?<![\w.-]{re.escape(first)})(?:" + "|".join(re.escape(a[1:]) for a in group) + ")"
                for first, group in by_first.items()
            )
            + r")(?![\w])(?!-(?!made\b|built\b|designed\b|produced\b|supplied\b)\w)"
        )
        return cls(pattern=pattern, by_alias=by_alias)

    def mentions(self, text: str) -> list[_Mention]:
        return [
            _Mention(self.by_alias[m.group(0)], m.start(), m.end(), m.group(0)) for m in self.pattern.finditer(text)
        ]


@dataclass
class _Context:
    aliases: AliasTable
    recipient_votes: Counter = field(default_factory=Counter)
    donor_votes: Counter = field(default_factory=Counter)
    mention_counts: Counter = field(default_factory=Counter)
    last_donor: str | None = None
    previous_weapons: list[tuple[str, str]] | None = None
    # The previous sentence was spoken by someone outside government (opposition, candidates, former
    # officials): an unattributed follow-up quote ("We would send them," he said) is theirs too.
    non_government_turn: bool = False
    # The article is about arms (somewhere it names weapons or arms aid): "export licences" are arms ones.
    arms_article: bool = False
    # People named as outside government earlier in the article ("Friedrich Merz, leader of the
    # opposition"): what they say later is not the government's stance either.
    non_government_people: set[str] = field(default_factory=set)


# Paragraph lead-ins of live blogs ("14:05 -", "09:12 GMT -") and interviews ("Q:", "A:") carry no words
# of their own and would hide the subject at the start of the paragraph.
_PARAGRAPH_LEAD_IN = re.compile(
    r"^\s*(?:\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?|GMT|UTC|CET|CEST|BST|EST|EDT|ET|local time|local)?|Q|A|Question|Answer|UPDATE|Update|BREAKING|Breaking)\s*(?:[:|\-–—]+\s*)+"
)


def split_sentences(text: str) -> list[str]:
    sentences = []
    for paragraph in re.split(r"\n+", text):
        paragraph = _PARAGRAPH_LEAD_IN.sub("", paragraph.strip()).strip()
        if not paragraph:
            continue
        protected = _ABBREV.sub(lambda m: m.group(0).replace(".", "\x00"), paragraph)
        for sentence in _SENT_SPLIT.split(protected):
            sentence = sentence.replace("\x00", ".").strip()
            if sentence:
                sentences.append(sentence)
    return sentences


# Speed (the detector scans every sentence and clause for weapons several times): the same patterns
# compiled case-sensitively run on the lower-cased text, where the regex engine can skip quickly
# over alternatives that begin with a literal; a combined pattern tells in one scan whether any
# weapon is named at all (most sentences name none); and within one `detect()` call each text is
# scanned once (`_memo`). This gives exactly the matches of `_WEAPON_RES` whenever lower-casing
# cannot change what matches (checked per text by `_lowers_like_ignorecase`); otherwise the
# case-insensitive patterns run as before.
assert all(p == p.lower() and p.isascii() for p, _ in WEAPON_PATTERNS), "lower-case ASCII lexicon expected"
_WEAPON_LOWER_RES = [(re.compile(rf"\b(?:{p})\b"), code) for p, code in WEAPON_PATTERNS]
_ANY_WEAPON_LOWER = re.compile("|".join(rf"(?:\b(?:{p})\b)" for p, _ in WEAPON_PATTERNS))


@functools.cache
def _char_lowers_safely(char: str) -> bool:
    """Lower-casing this non-ASCII character keeps its length and its class, and it is not a case
    variant of an ASCII letter (as "ſ", "ı", "K" (Kelvin) and "İ" are), so the case-insensitive
    patterns treat it exactly as the lower-case ones treat its lower-case form."""
    lower = char.lower()
    return (
        len(lower) == 1
        and all(ord(c) > 127 for c in lower + char.upper() + char.casefold())
        and lower.isalnum() == char.isalnum()
        and lower.isspace() == char.isspace()
        and lower.isdecimal() == char.isdecimal()
    )


def _lowers_like_ignorecase(text: str) -> bool:
    return text.isascii() or all(_char_lowers_safely(c) for c in set(text) if ord(c) > 127)


# Results of the pure text helpers below for the `detect()` call in progress (none outside one).
_MEMO: ContextVar[dict | None] = ContextVar("detector_memo", default=None)


def _memo(function):
    """Memoise a pure one-argument text helper within the current `detect()` call."""

    def memoised(text: str):
        memo = _MEMO.get()
        if memo is None:
            return function(text)
        key = (function, text)
        try:
            return memo[key]
        except KeyError:
            memo[key] = result = function(text)
            return result

    return functools.wraps(function)(memoised)


@_memo
def _weapon_matches(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, words, category) of every category's matches, category by category."""
    if not _lowers_like_ignorecase(text):
        return tuple(
            (m.start(), m.end(), m.group(0), code) for regex, code in _WEAPON_RES for m in regex.finditer(text)
        )
    lower = text.lower()
    first = _ANY_WEAPON_LOWER.search(lower)
    if first is None:
        return ()
    # No category matches before the first match of the combined pattern; scanning from there (the
    # text before it still counts for word boundaries and look-behinds) finds the same matches.
    pos = first.start()
    return tuple(
        (m.start(), m.end(), text[m.start() : m.end()], code)
        for regex, code in _WEAPON_LOWER_RES
        for m in regex.finditer(lower, pos)
    )


@_memo
def _weapons_found(text: str) -> tuple[tuple[str, str], ...]:
    matches = list(_weapon_matches(text))
    # Longest first: "drone detection systems" is non-lethal equipment, not "drone".
    matches.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    found: list[tuple[int, int, str, str]] = []
    for start, end, words, code in matches:
        if all(end <= s or start >= e for s, e, _, _ in found):
            found.append((start, end, words, code))
    found.sort()
    return tuple((words, code) for _, _, words, code in found)


def _weapons_in(text: str) -> list[tuple[str, str]]:
    """(surface words, category) for every weapon named, longest match first, no overlaps."""
    return list(_weapons_found(text))


_TRAILING_NOUN = re.compile(
    r"\s+(?:cruise |air defen[cs]e |guided )?(?:missiles?|rockets?|systems?|launchers?|batteries|units|weapons)\b", re.I
)


@_memo
def _blank_weapons(text: str) -> str:
    """The text with named weapons blanked, so "cruise missiles" or "Taurus missiles" does not also
    count as generic "missiles"."""
    if not _weapon_matches(text):
        return text  # nothing named: no category blanks anything, so no later one sees a change
    lower = text.lower() if _lowers_like_ignorecase(text) else None
    for index, (regex, _) in enumerate(_WEAPON_RES):
        # Blanking keeps the length and writes spaces into both texts alike, so `lower` stays the
        # lower-cased `text`.
        matches = list(regex.finditer(text)) if lower is None else list(_WEAPON_LOWER_RES[index][0].finditer(lower))
        for m in matches:
            end = m.end()
            trailing = _TRAILING_NOUN.match(text, end)
            if trailing:
                end = trailing.end()
            text = text[: m.start()] + " " * (end - m.start()) + text[end:]
            if lower is not None:
                lower = lower[: m.start()] + " " * (end - m.start()) + lower[end:]
    return text


# What is sent is not always arms: "will send a delegation", "sent a letter".
_NON_ARMS_OBJECT = re.compile(
    r"^\s*(?:a|an|the|its|his|her|their|\d+)?\s*(?:\w+\s+)?(?:delegation|team|envoy|envoys|letter|message|signal|signals|"
    r"invitation|observers|diplomats?|representatives|condolences|officials|questions|list|note|reply|response|"
    r"(?:a )?clear message|congratulations|ambassador)\b"
)


_NON_ARMS_NOUN = re.compile(r"\b(?:team|teams|delegation|envoy|observers|monitors|diplomats|letter|message)\b")


def _certainty(sentence: str) -> str:
    if ATTRIBUTION.search(sentence):
        return ATTRIBUTED
    if MEDIA_CUES.search(sentence):
        return MEDIA_REPORT
    return ON_RECORD


_SPEECH = re.compile(r"^[^.;]{0,50}?\b(?:said|says|told|announced|stated|added|insisted|stressed|confirmed|wrote)\b")


def _speaker(sentence: str) -> str:
    """Who speaks: the titled person or office followed by a speech verb, else the first one named."""
    matches = list(SPEAKER.finditer(sentence))
    for m in matches:
        if _SPEECH.match(sentence[m.end() :]):
            return m.group(0).strip()[:200]
    return matches[0].group(0).strip()[:200] if matches else ""


def _conditions(sentence: str) -> list[str]:
    out = []
    for m in CONDITION.finditer(sentence):
        words = m.group(0).split()
        out.append(" ".join(words[:18]).rstrip(',"”'))
    return out


# "arms exports to Saudi Arabia", "export licences to Israel": the counterpart of an arms-trade stance.
_ARMS_TRADE_TO = re.compile(
    r"\b(?:arms|weapons|military|defen[cs]e|export)\s+(?:exports?|sales?|licen[cs]es?|deliveries|shipments?)\s+(?:\w+\s+){0,2}?to\s+(?:the\s+)?$"
)
_PASSIVE_AGENT_BEFORE = re.compile(
    r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+\s+)?(?:sent|supplied|delivered|provided|donated|pledged|transferred|shipped|handed over|given|funded|financed)\b[^,;]{0,50}?\bby\s+(?:the\s+)?$"
)
_SELLER_BEFORE = re.compile(
    r"\b(?:buy|buys|bought|buying|purchas\w*|procur\w*|acquir\w*|order(?:s|ed|ing)?|source|sourcing|sourced)\b[^,;]{0,60}\bfrom\s+(?:the\s+)?$"
)
# "send Germany's Taurus", "transferring Slovakia's 13 MiG-29s": what follows the possessive is the owner's
# arms, so the owner gives them (it is not the one receiving).
_POSSESSIVE_LEAD = re.compile(
    r"^(?:'s|’s)\s+(?:(?:own|remaining|ageing|aging|old|older|new|surplus|last|first|\d[\d,]*|soviet-era|soviet-designed)\s+){0,2}",
    re.IGNORECASE,
)


_PREPOSITION_BEFORE = re.compile(r"\b(?:to|for|towards|into|in|with|for use (?:in|by))\s+(?:the\s+)?$")


def _owns_arms(after: str) -> bool:
    """The mention is a possessive whose head noun is a weapon ("Germany's Taurus cruise missiles")."""
    lead = _POSSESSIVE_LEAD.match(after)
    if not lead or _RECIPIENT_AFTER.search(after):
        return False
    rest = after[lead.end() :]
    return any(regex.match(rest) for regex, code in _WEAPON_RES if code != "non_lethal_equipment") or bool(
        GENERIC_ARMS.match(rest)
    )


def _role_of(mention: _Mention, clause: str) -> tuple[float, float]:
    """(recipient-ness, donor-ness) of a mention from the words around it."""
    before = clause[max(0, mention.start - 60) : mention.start]
    after = clause[mention.end : mention.end + 60]
    if _WELCOMES_AFTER.match(after):
        return 1.0, 0.0  # "Georgia's government welcomed the approval": the one welcoming receives
    if _WATCHED_BEFORE.search(before.lower()):
        return 0.0, 0.0  # "monitoring the level of North Korea's military cooperation": the trigger watched
    if _COMPANION_BEFORE.search(before.lower()):
        return 0.0, 0.0  # "alongside Dutch Prime Minister Mark Rutte": a companion, not the speaker
    if _owns_arms(after) and not _PREPOSITION_BEFORE.search(before.lower()):
        return 0.0, 1.0
    recipient = donor = 0.0
    if _PASSIVE_AGENT_BEFORE.search(before.lower()):
        return 0.0, 1.0  # "will be handed over to Ukraine by Portugal": the passive agent gives
    if _SELLER_BEFORE.search(before.lower()):
        return 0.0, 0.0  # "will buy ammunition from South Africa": the seller, not the giver
    if _MADE_IN.match(after):
        return 0.0, 0.0  # "U.S.-made jets": the maker's country, neither giving nor receiving here
    if _TARGETED_BEFORE.search(before.lower()) and _ORIGIN_AFTER.search(after):
        return 0.0, 0.0  # "a shield against Russian missiles": the attacker's arms, not a transfer
    if _ARMS_TRADE_TO.search(before.lower()) or (
        _RECIPIENT_BEFORE.search(before.lower()) and not _NOT_RECIPIENT_BEFORE.search(before.lower())
    ):
        recipient += 1.0
    if _RECIPIENT_AFTER.search(after):
        recipient += 0.8
    if _DONOR_BEFORE.search(before.lower()):
        donor += 1.0
    if _DONOR_AFTER.search(after):
        donor += 0.8
    elif _ORIGIN_AFTER.search(after):
        donor += 0.6
    return recipient, donor


_ASKS_OR_THANKS = re.compile(
    r"\b(?:ask(?:s|ed)?|urg(?:es|ed|e)|request(?:s|ed)?|appeal(?:s|ed)? to|press(?:es|ed)|call(?:s|ed)? on|thank(?:s|ed)?|lobb(?:y|ies|ied))\s+(?:the\s+)?$"
)


_OFFICE_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:(?:foreign|defen[cs]e|prime|deputy)\s+)?(?:minister|secretary|government|ministry)\b",
    re.IGNORECASE,
)


def _observe(ctx: _Context, sentence: str) -> list[_Mention]:
    mentions = ctx.aliases.mentions(sentence)
    arms = GENERIC_ARMS.search(sentence) or NON_LETHAL.search(sentence) or _weapons_in(sentence)
    for i, m in enumerate(mentions):
        ctx.mention_counts[m.code] += 1
        if not arms:
            # "Interview with the Estonian defence minister": whose office speaks, even before arms come up.
            if _OFFICE_AFTER.match(sentence[m.end :]):
                ctx.donor_votes[m.code] += 0.5
            continue
        recipient, donor = _role_of(m, sentence)
        # "Zelensky asked Oslo for …", "Kyiv thanked Berlin for …": the one asking or thanking receives.
        if _ASKS_OR_THANKS.search(sentence[max(0, m.start - 40) : m.start].lower()):
            ctx.donor_votes[m.code] += 1.0
            for prev in mentions[:i]:
                if prev.code != m.code:
                    ctx.recipient_votes[prev.code] += 1.0
            continue
        if recipient > donor:
            ctx.recipient_votes[m.code] += recipient
        elif donor > 0:
            ctx.donor_votes[m.code] += donor
    return mentions


def _main_recipient(ctx: _Context, exclude: str | None) -> str | None:
    for code, _ in ctx.recipient_votes.most_common():
        if code != exclude:
            return code
    return None


def _main_donor(ctx: _Context, exclude: str | None) -> str | None:
    for code, votes in (ctx.donor_votes + Counter()).most_common():
        if code != exclude and votes > 0:
            return code
    return None


def _pick_cue(clause_lower: str) -> list[tuple[re.Match, str, float, str]]:
    hits = []
    for union, run in _CUE_RUNS:
        first = union.search(clause_lower)
        if first is None:
            continue
        for regex, level, strength, label in run:
            for m in regex.finditer(clause_lower, first.start()):
                hits.append((m, level, strength, label))
    return hits


def _resolve_level(
    hits: list[tuple[re.Match, str, float, str]], clause_lower: str
) -> tuple[str, float, str, str] | None:
    """The clause's level: the strongest cue, with cues that are part of a more specific one removed.

    Returns (level, strength, label, matched words)."""
    if not hits:
        return None
    spans = {(m.start(), m.end()) for m, *_ in hits}

    def covered(m: re.Match, level: str) -> bool:
        # A cue inside a longer cue of another level loses: "not ruling out" beats "ruling out",
        # "not considering" beats "considering", "will not send" beats "will send".
        return any(s <= m.start() and m.end() <= e and (e - s) > (m.end() - m.start()) for s, e in spans)

    kept = [(m, level, strength, label) for m, level, strength, label in hits if not covered(m, level)]
    # Overlapping cues of different levels starting at the same point: keep the longest.
    kept.sort(key=lambda h: (-h[2], h[0].start()))
    labels = {h[3] for h in kept}
    levels = {h[1] for h in kept}
    # Specific overrides that resolve competing cues in one clause.
    if "open_to_lethal" in levels and any(
        lbl in labels for lbl in ("not ruling out", "does not exclude", "all options open")
    ):
        kept = [h for h in kept if h[1] in ("open_to_lethal",)] or kept
    elif (
        "non_lethal" in levels
        and any(lbl in labels for lbl in ("non-lethal", "only humanitarian/non-lethal"))
        and not (levels & {"prohibits", "considering_lethal", "conditional_lethal", "open_to_lethal"})
    ):
        kept = [h for h in kept if h[1] == "non_lethal"] + [h for h in kept if h[1] != "non_lethal"]
    m, level, strength, label = kept[0]
    return level, strength, label, m.group(0)


_RELATIVE = re.compile(r",\s+(?:which|who|whose)\s+[^,]{4,160}(?:,|$)")


# A country after these words is an object of something else ("sanctions against Russia", "deals with Poland").
_OBLIQUE_BEFORE = re.compile(r"\b(?:with|against|from|by|on|in|of|between|and|at|over|about)\s+(?:the\s+)?$")
_CHANNEL_BEFORE = re.compile(r"\b(?:via|through|by way of)\s+(?:the\s+)?$")
# "will allow Denmark and the Netherlands to send …": the permitted countries are givers too.
_PERMITTED = re.compile(
    r"\b(?:allow|allows|allowed|allowing|let|lets|permit|permits|permitted|authori[sz]e[sd]?)\s+(?P<who>[^.;]{2,80}?)\s+to\s+(?:re-export|send|supply|deliver|transfer|give|provide|pass on)\b"
)


# "Germany and France", "Spain, Italy and Greece", "the Netherlands followed Denmark in pledging …".
_DONOR_CHAIN_GAP = r"\s*(?:,\s*(?:and\s+)?|and|or|as well as|along with|together with|followed|joined)\s*(?:the\s+)?"


_PAIR_OBJECT_BEFORE = re.compile(r"\b(?:between|among|with|against|about|over)\s+(?:the\s+)?$")


def _coordinated(local: list[_Mention], donor: str, clause: str) -> tuple[str, ...]:
    """Countries joined to the donor by "and"/commas ("Germany and the Netherlands have provided …")."""
    out: list[str] = []
    mentions = sorted(local, key=lambda m: m.start)
    for i, m in enumerate(mentions):
        if m.code != donor:
            continue
        chain = [m]
        for nxt in mentions[i + 1 :]:
            gap = clause[chain[-1].end : nxt.start]
            if re.fullmatch(_DONOR_CHAIN_GAP, gap):
                chain.append(nxt)
            else:
                break
        for prev in reversed(mentions[:i]):
            gap = clause[prev.end : chain[0].start]
            if re.fullmatch(_DONOR_CHAIN_GAP, gap):
                chain.insert(0, prev)
            else:
                break
        if _PAIR_OBJECT_BEFORE.search(clause[max(0, chain[0].start - 30) : chain[0].start].lower()):
            continue  # "relations between Washington and Beijing": a pair of objects, not joint givers
        out += [c.code for c in chain if c.code != donor]
    return tuple(dict.fromkeys(out))


def _split_new_subjects(offset: int, clause: str) -> list[tuple[int, str]]:
    """Split a clause where a coordinated new subject starts; a conditional lead-in ("If X attacks,
    Germany will …") stays with the clause it conditions."""
    pieces, pos = [], 0
    for m in _NEW_SUBJECT_SPLIT.finditer(clause):
        before = clause[pos : m.start()]
        # "Germany and the Netherlands have …": a bare subject before "and" is a coordinated subject.
        if _CONDITION_START.search(before) or len(before.split()) < 4:
            continue
        pieces.append((offset + pos, clause[pos : m.start()]))
        pos = m.end()
    pieces.append((offset + pos, clause[pos:]))
    return pieces


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """Clauses with their offsets. A non-restrictive relative clause (", which had previously …,") is
    its own clause and is blanked out of the main one, so background in it does not colour the news."""
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        out.append((pos, sentence[pos : m.start()]))
        pos = m.end()
    out.append((pos, sentence[pos:]))
    out = [piece for p, clause in out for piece in _split_new_subjects(p, clause)]
    result = []
    for p, clause in out:
        for rel in list(_RELATIVE.finditer(clause)):
            result.append((p + rel.start(), clause[rel.start() : rel.end()]))
            clause = clause[: rel.start()] + " " * (rel.end() - rel.start()) + clause[rel.end() :]
        result.append((p, clause))
    return [(p, c) for p, c in sorted(result) if c.strip()]


# Cause and trigger phrases ("in response to North Korea's deployment of troops to Russia") name the
# event behind a stance, not its donor or recipient; they are blanked before cues and roles are read.
_CAUSE = re.compile(
    r"\b(?:in response to|in reaction to|responding to|in retaliation for|because of|due to(?! be\b| arrive| start| begin| receive| get)|as a result of|amid|"
    r"after|following)\s+(?!(?:talks|consultations|a meeting|meeting|a request|requests?)\b)[^,;:]*",
    re.IGNORECASE,
)


def _mask_causes(clause: str) -> str:
    return _CAUSE.sub(lambda m: " " * len(m.group(0)), clause)


_BARE_PARTICIPLE = re.compile(
    r"(?:pledged|promised|donated|gifted|sent|supplied|delivered|provided|approved|announced|handed over|shipped|transferred|offered|committed(?: to)?)"
)
_ARMS_NOUN_BEFORE = re.compile(
    r"\b(?:weapons|arms|missiles|tanks|jets|shells|munitions|ammunition|equipment|systems|aid|vehicles|drones|howitzers|aircraft|package|packages|units|batteries|launchers)\s+$"
)


def _is_reduced_relative(match: re.Match, clause_lower: str) -> bool:
    """ "31 tanks pledged in January had been delivered": a bare participle right after an arms noun
    describes the arms; it reports nothing."""
    return bool(_BARE_PARTICIPLE.fullmatch(match.group(0)) and _ARMS_NOUN_BEFORE.search(clause_lower[: match.start()]))


_REPORTED_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|confirmed|announced|stated|reported|insisted|stressed|added|noted|explained|acknowledged|conceded|admitted|told (?:\w+ ){0,2}?)(?:\s+on \w+)?\s+(?:that\s+)?(?:[\w'-]+\s+){1,10}$"
)


_DASHED_ASIDE = re.compile(r"\s[—–]\s[^—–.;]{1,120}?\s[—–]\s")


def _is_background(clause_lower: str) -> bool:
    """History, not news: "so far", "since 2022", "had previously sent". A past perfect right after a
    reporting verb ("said the first tanks had reached Ukraine") is tense backshift, not history. A dashed
    aside ("the unit — launchers, radar and interceptors — had been handed over") does not count."""
    clause_lower = _DASHED_ASIDE.sub(" ", clause_lower)
    for m in BACKGROUND.finditer(clause_lower):
        if m.group(0).startswith("had ") and _REPORTED_SPEECH_BEFORE.search(clause_lower[: m.start()]):
            continue
        return True
    return False


def _spoken_outside_government(
    ctx: _Context, clause_lower: str, cue_words: str, names_a_country: bool, sentence: str
) -> bool:
    """The cue is voiced by the opposition, a candidate or a former official (named before the cue),
    or is an unattributed follow-up quote of such a speaker from the previous sentence."""
    marker = NON_GOVERNMENT.search(clause_lower)
    if marker and marker.start() < max(clause_lower.find(cue_words), 0):
        return True
    return ctx.non_government_turn and not names_a_country and not SPEAKER.search(sentence)


# --- lex-1.2 helpers: clause scope, roles and objects ------------------------------------------------


def _up_to_cue_segment(clause_lower: str, cue_words: str) -> str:
    """The clause up to the end of the comma-delimited segment holding the cue: a trailing participle
    phrase (", ending weeks of hesitation that had exposed rifts") does not make the news background."""
    at = clause_lower.find(cue_words)
    if at < 0:
        return clause_lower
    comma = clause_lower.find(",", at + len(cue_words))
    return clause_lower if comma < 0 else clause_lower[:comma]


# "Germany to send tanks to Ukraine", "Japan will ship missiles to U.S.": a headline's subject and
# infinitive announce a decision.
_HEADLINE_SUBJECT = re.compile(r"^\s*(?:[A-Z][\w.'’-]*\s+){1,3}(?=(?:to|will)\s)")
_HEADLINE_VERB = re.compile(rf"(?:to|will)\s+(?:also\s+|now\s+)?{_SEND}\b")


def _headline_cues(title: str) -> list[tuple[re.Match, str, float, str]]:
    subject = _HEADLINE_SUBJECT.match(title)
    verb = _HEADLINE_VERB.match(title.lower(), subject.end()) if subject else None
    return [(verb, "pledged_lethal", 0.7, "headline: X to supply")] if verb else []


_NO_SUBJECT_BEFORE = re.compile(r"\bno\s+(?:[\w-]+\s+){0,4}$")


def _passive_subject_excluded(hit: tuple[re.Match, str, float, str], clause_lower: str) -> bool:
    """A passive commitment whose subject is no arms ("no team would be sent", "a delegation will be
    sent") or is negated by "no" is not a pledge."""
    m, level, _, label = hit
    if label != "will be transferred":
        return False
    before = clause_lower[max(0, m.start() - 40) : m.start()]
    return bool(_NO_SUBJECT_BEFORE.search(before) or _NON_ARMS_NOUN.search(before.split(",")[-1]))


def _object_is_non_lethal(clause: str, clause_lower: str, cue_words: str) -> bool:
    """ "will send 5,000 military helmets to Ukraine": the supply verb's object (up to "to/for" or a comma)
    names non-lethal items and no weapon, whatever else the sentence mentions."""
    at = clause_lower.find(cue_words)
    if at < 0:
        return False
    obj = re.split(r";|,\s|\s(?:to|for|into|as)\s", clause[at + len(cue_words) : at + len(cue_words) + 90])[0]
    named = _weapons_in(obj)
    if any(code != "non_lethal_equipment" for _, code in named):
        return False
    if NON_LETHAL.search(obj):
        return True
    return any(code == "non_lethal_equipment" for _, code in named) and not GENERIC_ARMS.search(_blank_weapons(obj))


_GIVES = re.compile(
    r"\b(?:has |have |had |will |is |are )?(?:offered|offers|offering|sent|sends|sending|provided|provides|providing|supplied|supplies|supplying|given|gives|donated|donates|delivered|delivers)\b"
)


def _gives_non_lethal(clause: str, clause_lower: str) -> str:
    """The words of a supply verb in the clause whose object is non-lethal items ("has offered a field
    hospital"), or "" — a refusal of weapons plus such a gift is the non-lethal rung."""
    for m in _GIVES.finditer(clause_lower):
        if _object_is_non_lethal(clause, clause_lower, m.group(0)):
            return m.group(0)
    return ""


_RELATIVE_START = re.compile(r"^,\s+(?:which|who)\b")
_ANTECEDENT_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and|or)\s*(?:the\s+)?")


def _relative_antecedents(sentence: str, clause_offset: int, mentions: list[_Mention]) -> list[_Mention]:
    """Countries right before a non-restrictive relative clause ("Britain and France, which have …"),
    with their coordinated partners, as subjects of the relative clause (placed at its start)."""
    chain: list[_Mention] = []
    edge = clause_offset
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        if m.end > edge:
            continue
        gap = sentence[m.end : edge]
        if (not chain and gap.strip() == "") or (chain and _ANTECEDENT_GAP.fullmatch(gap)):
            chain.insert(0, m)
            edge = m.start
        else:
            break
    return [_Mention(m.code, 0, 0, m.text) for m in chain]


# A country after the cue followed by a non-speech finite verb is the subject of another clause
# ("… to ensure Russia does not win"); speakers after the cue ("…, Germany said") still count.
_LATER_VERB_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:does|do|did|is|are|was|were|will|would|can|could|may|might|should|must|has|have|had|wins?|won|attacks?|attacked|invades?|invaded|uses?|used|fires?|fired|launch(?:es|ed)?)\b"
    r"(?!\s+(?:also\s+)?(?:said|say|announced|announce|confirmed|confirm|told|stated|declared|insisted|stressed)\b)"
)


def _subject_of_later_verb(mention: _Mention, clause: str) -> bool:
    before = clause[max(0, mention.start - 40) : mention.start].lower()
    return bool(_LATER_VERB_AFTER.match(clause[mention.end :]) and not _DONOR_BEFORE.search(before))


# Conditions that bind a commitment wherever they stand in the sentence ("… but said the jets would be
# handed over only after pilots are trained", "could be shipped within weeks, provided allies pay").
_FIRM_CONDITION = re.compile(
    r"\bsubject to (?:\w+ ){0,2}(?:approval|consent|agreement|a vote|ratification)\b|\bpending (?:\w+ ){0,2}approval\b|"
    r"\b(?:only (?:after|once|when|if)|provided that|on (?:the )?condition that|as soon as(?! possible| practicable| feasible| next\b| this\b| tomorrow| today| early\b| late\b| mid| \d))\b|[,—–]\s*provided\b|\bpreconditions?\b|\btied to (?:the )?(?:completion|conditions?|training)\b|"
    r"\bprovided (?:the|that|its|their) [\w\s-]{0,40}?\b(?:holds?|permits?|allows?|is met|are met|is secured|are secured|is in place|are in place|is approved)\b"
)
# "on condition that Washington is the end user": an end-use term of the transfer, not a precondition.
_END_USE = re.compile(r"\bend[- ]use(?:rs?)?\b", re.IGNORECASE)
_RECIPIENT_CHAIN_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and|or|as well as)\s*(?:to\s+)?(?:the\s+)?")


def _coordinated_recipients(local: list[_Mention], recipient: str, clause: str, donor: str) -> tuple[str, ...]:
    """Countries joined to the recipient ("to Saudi Arabia or to the United Arab Emirates")."""
    ordered = sorted((m for m in local if m.end > 0), key=lambda m: m.start)
    out: list[str] = []
    for i, m in enumerate(ordered):
        if m.code != recipient or _role_of(m, clause)[0] == 0:
            continue
        last = m
        for nxt in ordered[i + 1 :]:
            if not _RECIPIENT_CHAIN_GAP.fullmatch(clause[last.end : nxt.start]) or _role_of(nxt, clause)[1] > 0:
                break  # "… to Turkey, and the Dutch government said": a new subject, not a second recipient
            if nxt.code not in (donor, recipient):
                out.append(nxt.code)
            last = nxt
        break
    return tuple(dict.fromkeys(out))


_EXPORT_LICENCES = re.compile(r"\bexport licen[cs]es?\b|\bexport (?:permits|approvals)\b")
_BEYOND_NON_LETHAL = re.compile(r"\bbeyond (?:humanitarian|non-?lethal|economic|financial)\b")
# Stance words that need no object: they inherit the arms topic of the sentence before.
_BARE_STANCE = re.compile(
    r"\b(?:options open|all options|hinges? on|depends? on|nothing (?:can|could|is) (?:be )?(?:ruled out|excluded)|no decision)\b"
)
# Cue labels that are a government's transfer decision even though they use commercial words.
STATE_TRANSFER_LABELS = (
    "approved the sale of",
    "signed a contract to supply",
    "grants no licences",
    "will buy and donate",
    "gave permission to supply",
    "grants approval of transfers",
)
# A company as the party ("Turkey's Baykar signed a contract", "the manufacturer said"): not a state.
_COMPANY_WORDS = re.compile(
    r"\b(?:company|companies|firm|firms|maker|makers|manufacturer|manufacturers|contractor|industries|inc|ltd|corp)\b"
)
_COMPANY_POSSESSIVE = re.compile(
    r"(?:'s|’s) (?!government|defen[cs]e|foreign|ministry|cabinet|president|prime|state|army|military|navy|air force)[a-z]+ (?:has |have |had )?(?:signed|agreed|won|will)\b"
)


def _company_subject(clause_lower: str, cue_words: str) -> bool:
    upto = clause_lower[: max(clause_lower.find(cue_words), 0) + len(cue_words)]
    return bool(_COMPANY_WORDS.search(clause_lower) or _COMPANY_POSSESSIVE.search(upto))


_TRADE_CONTROL = re.compile(r"\b(?:export licen[cs]es?|licen[cs]es|exports?|sales)\b")


# --- lex-1.3: stricter donor resolution (fewer false signals) ------------------------------------
# "U.S.-made", "Swiss-built": the country that made the arms.
_MADE_IN = re.compile(r"^-(?:made|built|designed|produced|manufactured)\b")
# Arms aimed at someone: "against Russian missiles", "to intercept Iranian drones".
_TARGETED_BEFORE = re.compile(
    r"\b(?:against|intercept(?:s|ed|ing)?|shoot(?:s|ing)? down|shot down|attacks? by|fired by)\s+(?:the\s+)?$"
)
# Someone else's claim about a transfer is not the transferring government's stance: "accusations that
# the UAE sent weapons", "has accused Tehran of supplying drones", "allegedly shipped". Cues after these
# words in the clause are dropped (the accused party's own denial, before them, still counts).
CLAIM = re.compile(
    r"\b(?:accusations?|allegations?|alleg(?:es|ed|edly|ing)|accus(?:e|es|ed|ing)|suspicions?|suspect(?:s|ed)?|"
    r"purported(?:ly)?|claims? (?:that|of)|claim(?:s|ed)? (?:that|to have))\b"
)
# Receiving verbs: the subject is the recipient ("Ukraine has received …", "the jets have arrived in …").
RECEIVING_LABELS = ("received", "took delivery of", "will receive")
# "Ukraine has received its first batch of …": the receiving verb decides the roles whichever cue wins.
_RECEIVING_VERB = re.compile(
    r"\b(?:receiv(?:es|ed|ing)|(?:took|takes|taking|take) delivery)\b(?!\s+(?:\w+\s+)?requests?\b)"
)
_ARRIVAL_WORDS = re.compile(r"\b(?:arriv\w*|reach(?:ed|es)?|landed)\b")
# A multilateral body or a generic group as the subject gives no country's stance: "the European Union
# pledged …", "NATO will …", "allies have balked at supplying", "capitals willing to consider".
_BODY_SUBJECT = re.compile(
    r"\b(?:the )?(?:european union|eu|nato|the bloc|the alliance|united nations|u\.n\.|the un|g7|group of seven|"
    r"the coalition|brussels)\b"
)
_GENERIC_GROUP_BEFORE = re.compile(
    r"\b(?:capitals|countries|allies|partners|(?<!united )nations|(?<!united )states|governments|members|others)\s+(?:that\s+|who\s+)?"
    r"(?:are\s+|were\s+|have\s+|had\s+)?(?:(?:so far|also|still|yet|not|now)\s+)?(?:[a-z]+\s+){0,2}?$"
)
# A country reacting or targeted is a third party: "…, angering Moscow", "a warning to Pyongyang".
_THIRD_PARTY_BEFORE = re.compile(
    r"\b(?:anger(?:s|ed|ing)?|alarm(?:s|ed|ing)?|irritat(?:es|ed|ing)|provok(?:es|ed|ing)|upset(?:s|ting)?|"
    r"worr(?:ies|ied|ying)|infuriat(?:es|ed|ing)|deter(?:s|red|ring)?|warning to|message to|signal to)\s+(?:the\s+)?$"
)
# "In Prague, Polish Prime Minister …": a place where something is said, not a party.
_LOCATION_ADVERBIAL = re.compile(r"(?:^|[.;:]\s*)\W*in\s+(?:the\s+)?$", re.IGNORECASE)


# "the Patriot unit it had promised in January", "the tanks that Berlin pledged": an object relative clause
# describes the arms; the clause's own verb ("… had been handed over") carries the news.
_OBJECT_RELATIVE_BEFORE = re.compile(
    r"\b(?:the|its|their|those|these)\s+(?:[\w/-]+\s+){1,4}(?:that\s+|which\s+)?(?:it|they|we|he|she)\s+(?:had\s+|has\s+|have\s+)?$"
    # lex-1.4: "the four systems that Germany promised Ukraine": a named giver in the relative clause
    rf"|\b{_ARMS_OBJECT}\s+(?:that|which)\s+(?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+)?\s+(?:had\s+|has\s+|have\s+)?$"
)


_PAST_FORM = re.compile(r"(?:had |has |have )?(?:\w+ed|sent|given|made|sold)\b")


def _drop_object_relative_cues(hits: list, clause_lower: str) -> list:
    """Cues inside "the <arms> it had promised" describe, unless nothing else in the clause reports."""
    return [
        h
        for h in hits
        if not (
            _PAST_FORM.match(h[0].group(0))
            and _OBJECT_RELATIVE_BEFORE.search(clause_lower[max(0, h[0].start() - 60) : h[0].start()])
        )
    ]


def _drop_claimed(hits: list, clause_lower: str) -> list:
    """Cues inside an accusation or allegation by others create no signal."""
    claim = CLAIM.search(clause_lower)
    return [h for h in hits if h[0].start() < claim.start()] if claim else hits


def _drop_generic_group_cues(hits: list, clause_lower: str) -> list:
    """Cues whose subject is a generic group ("allies have so far balked at supplying", "capitals willing
    to consider the move") describe others, not the article's government."""
    return [h for h in hits if not _GENERIC_GROUP_BEFORE.search(clause_lower[max(0, h[0].start() - 50) : h[0].start()])]


def _is_location(mention: _Mention, clause: str) -> bool:
    """ "In Berlin, …" or "In Ukraine, …" at the start of a clause sets the scene."""
    return bool(
        _LOCATION_ADVERBIAL.search(clause[max(0, mention.start - 40) : mention.start])
        and clause[mention.end : mention.end + 1] == ","
    )


def _body_is_subject(clause_lower: str, cue_pos: int, local: list[_Mention]) -> bool:
    """A body ("the European Union pledged …") and no country named before the cue."""
    before = clause_lower[:cue_pos]
    return bool(_BODY_SUBJECT.search(before)) and not any(0 <= m.start < cue_pos for m in local)


# --- lex-1.4 helpers: triggers, objects that are no arms, competing cues ---------------------------
# "If Pyongyang sends troops, …", "even if Seoul decides to send …": the trigger or hypothesis up to the
# next comma. A cue inside it states no stance, and a country inside it (the one whose act triggers the
# step) is neither giver nor receiver.
_TRIGGER = re.compile(r"\b(?:if|unless|in case|in the event(?: that)?)\b[^,;:—–]*")
# "declining to give a number", "would not provide details", "refused to say how many": withholding
# information, not arms.
_INFORMATION_OBJECT = re.compile(
    r"^\s*(?:(?:a|an|any|the|further|more|exact|precise|specific|firm|public)\s+)*(?:number|numbers|figures?|details?|"
    r"timetable|timeline|date|dates|specifics|estimate|breakdown|comments?|names?|information|indication|reasons?|"
    r"answers?|updates?|account|assurances?|guarantees?|explanation)\b"
    r"|^\s*(?:to\s+)?(?:say|specify|comment|elaborate|disclose|confirm|reveal|name|discuss|answer|speculate|quantify|detail)\b"
)
# "must consider the safety of its companies": weighing a factor, not a transfer.
_FACTOR_OBJECT = re.compile(
    r"^\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|our\s+)?(?:possible\s+|potential\s+)?(?:safety|security of|impact|effects?|"
    r"risks?|consequences|implications|interests|relations|costs?|welfare|concerns?|views?|reactions?|situation|"
    r"legal (?:situation|framework)|law)\b"
)
# "is considered the European equivalent", "is widely considered a …": a judgement, not a review.
_JUDGEMENT_BEFORE = re.compile(r"\b(?:is|are|was|were|widely|generally|often|long)\s+$")
# "long dependent on Russian arms": reliance, not a condition.
_RELIANCE_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:arms|weapons|imports|supplies|suppliers|gas|oil|energy|exports)\b"
)
# "three more will follow", "the remaining jets are to follow": the rest of a delivery under way.
_CONTINUATION_BEFORE = re.compile(r"\b(?:more|further|remaining|rest|others|additional)\b[^,;]{0,40}$")
# "notifications sent to Congress", "letters delivered to": a bare participle after a non-arms noun.
_NON_ARMS_NOUN_BEFORE = re.compile(
    r"\b(?:notifications?|letters?|messages?|notes?|documents?|requests?|signals?|invitations?|reports?|e-?mails?|"
    r"delegations?|teams?|envoys?|observers?|questions?|proposals?|statements?|bills?)\s+$"
)
_BARE_SUPPLY_LABELS = ("sent/supplied", "delivered/arrived")
# "to check how many tanks the army could make available": an indirect question, not an offer.
_INDIRECT_QUESTION_BEFORE = re.compile(r"\b(?:how many|how much|whether|which|what)\b")
# "would have to be approved by the council": an approval still required, not one given.
_APPROVAL_REQUIRED_BEFORE = re.compile(r"\b(?:to|must|would|will|should|could|may|might)\s+(?:\w+\s+)?be\s+$")


def _arms_named(text: str) -> list[tuple[str, str]] | None:
    """The weapons named in the text (troops aside), [] for generic arms words only, None for no arms."""
    if not text.strip():
        return None
    named = [(w, code) for w, code in _weapons_in(text) if code != "troops"]
    return named if (named or GENERIC_ARMS.search(_blank_weapons(text))) else None


def _trigger_spans(clause_lower: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TRIGGER.finditer(clause_lower)]


def _drop_lex14(hits: list, clause_lower: str) -> list:
    """Cues that read as stances but are not: inside a trigger ("even if Seoul decides to send"), a
    refusal to give information, weighing a factor or a judgement ("is considered the best"), reliance
    ("dependent on Russian arms"), the rest of a delivery under way ("more will follow") and a bare
    participle after a non-arms noun ("notifications sent to Congress")."""
    triggers = _trigger_spans(clause_lower)
    kept = []
    for h in hits:
        m, level, _, label = h
        after = clause_lower[m.end() : m.end() + 60]
        before = clause_lower[max(0, m.start() - 50) : m.start()]
        if any(s <= m.start() < e for s, e in triggers):
            continue
        if level == "prohibits" and _INFORMATION_OBJECT.match(after):
            continue
        if label == "considering" and (
            _FACTOR_OBJECT.match(after) or (m.group(0) == "considered" and _JUDGEMENT_BEFORE.search(before))
        ):
            continue
        if label == "announced/approved" and _APPROVAL_REQUIRED_BEFORE.search(before):
            continue
        if label == "could/may supply" and _INDIRECT_QUESTION_BEFORE.search(
            clause_lower[max(0, m.start() - 80) : m.start()]
        ):
            continue
        if label == "depends on" and _RELIANCE_AFTER.match(after):
            continue
        if label == "will follow" and _CONTINUATION_BEFORE.search(before):
            continue
        if label in _BARE_SUPPLY_LABELS and _NON_ARMS_NOUN_BEFORE.search(before):
            continue
        kept.append(h)
    return kept


# "Georgia's government welcomed the approval", "Kyiv hailed …": who welcomes or thanks receives.
_WELCOMES_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:(?:new\s+)?(?:government|president|prime minister|leadership|officials)\s+)?(?:welcomed|welcomes|welcoming|hailed|hails|praised|praises)\b",
    re.IGNORECASE,
)
# "he told reporters alongside Dutch Prime Minister Mark Rutte": a companion, not the speaker.
_COMPANION_BEFORE = re.compile(
    r"\b(?:alongside|next to|beside|flanked by|standing with|joint (?:news|press) conference with)\s+(?:the\s+)?$"
)
# "was monitoring the level of North Korea's cooperation with Russia": the country whose conduct is watched
# as a trigger is neither giver nor receiver.
_WATCHED_BEFORE = re.compile(
    r"\b(?:monitor(?:s|ed|ing)?|watch(?:es|ed|ing)?|track(?:s|ed|ing)?|keep(?:s|ing)? an eye on|kept an eye on)\s+"
    r"(?:the\s+|closely\s+)?(?:(?:level|scale|extent|degree|pace|course|scope) of\s+(?:the\s+)?)?$"
)
# "gave Poland permission to send …": the permitted country is neither giver nor receiver of this step.
_PERMISSION_LABELS = ("gave permission to supply",)
# Weak openness cues that only restate a condition: with a conditional or firmer signal for the pair,
# "any transfer depending on Moscow's response" is the same stance, not a second one.
_RESTATED_CONDITION_LABELS = ("depends on", "hinges on")
# "he could send Ukraine Tomahawks if Russia does not agree": a possibility tied to a stated trigger.
_IF_AFTER = re.compile(r"\b(?:if|unless)\b")
# "Friedrich Merz, leader of the opposition, …": a person (first name and surname) named in a sentence
# that places them outside government; later sentences in which they speak are theirs too.
_FIRST_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+\s+$")
_APPOSITION = re.compile(r",\s+(?:[\w'’-]+\s+){0,6}")
_SPEAKS_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:\w+\s+)?(?:said|says|told|added|wrote|argued|insisted|stressed|proposed|urged)\b"
)


_SUBJECT_LEAD = re.compile(
    r"^\W*(?:(?:the|[A-Z][a-z]+|[A-Z][a-z]+ Minister|Prime Minister|Foreign Minister|Defen[cs]e Minister)\s+){0,3}$"
)


def _opening_subject(sentence: str, mentions: list[_Mention]) -> list[_Mention]:
    """The country or leader that opens a sentence without a cue ("Chancellor Olaf Scholz, on a tour of
    South America, sought to …") speaks next, when a later sentence names no one ("…," he said)."""
    first = mentions[0] if mentions else None
    if first and _SUBJECT_LEAD.match(sentence[: first.start]) and not sentence[first.end :].startswith(","):
        return [first]
    if first and _SUBJECT_LEAD.match(sentence[: first.start]) and _APPOSITION.match(sentence[first.end :]):
        return [first]
    return []


def _non_government_people(sentence: str, mentions: list[_Mention]) -> set[str]:
    """Names of people placed outside government in this sentence ("Friedrich Merz, leader of
    Germany's opposition"): an alias preceded by a first name, not a possessive country."""
    markers = list(NON_GOVERNMENT.finditer(sentence))
    if not markers:
        return set()
    people = set()
    for m in mentions:
        named_person = " " in m.text or _FIRST_NAME_BEFORE.search(sentence[max(0, m.start - 20) : m.start])
        if not named_person or sentence[m.end : m.end + 2] in ("'s", "’s"):
            continue
        # The marker is in an apposition right after the name (", leader of Germany's opposition") or
        # right before it ("former chancellor Angela Merkel").
        if any(_APPOSITION.fullmatch(sentence[m.end : k.start()]) or 0 <= m.start - k.end() <= 25 for k in markers):
            people.add(m.text.split()[-1])
    return people


def _voiced_by_non_government_person(ctx: _Context, clause: str, local: list[_Mention], cue_pos: int) -> bool:
    """A person named earlier as outside government speaks here ("…, Merz told the Bundestag") or is
    the subject before the cue."""
    return any(
        m.text.split()[-1] in ctx.non_government_people
        and (m.start < cue_pos or _SPEAKS_AFTER.match(clause[m.end : m.end + 40]))
        for m in local
    )


def _analyse_clause(
    ctx: _Context, sentence: str, clause_offset: int, clause: str, mentions: list[_Mention], index: int, is_title: bool
) -> _Candidate | None:
    clause = _mask_causes(clause)
    lower = clause.lower()
    # Past-perfect inside a denied report ("denied a report that it had decided …") is not background.
    denial_at = DENIAL.search(lower)
    background_text = lower[: denial_at.end()] if denial_at else lower
    weapons = _weapons_in(clause)
    lethal_classes = {code for _, code in weapons if code != "non_lethal_equipment"}
    generic = GENERIC_ARMS.search(_blank_weapons(clause))
    non_lethal = NON_LETHAL.search(clause) or any(code == "non_lethal_equipment" for _, code in weapons)
    if generic and not lethal_classes and ctx.previous_weapons:
        previous_classes = {code for _, code in ctx.previous_weapons if code != "non_lethal_equipment"}
        blanked = _blank_weapons(clause)
        if len(previous_classes) == 1 and all(
            _ANAPHORIC_ARMS.search(blanked[max(0, g.start() - 12) : g.end()]) for g in GENERIC_ARMS.finditer(blanked)
        ):
            weapons = [w for w in ctx.previous_weapons if w[1] in previous_classes]
            lethal_classes, generic = previous_classes, None
    if not (generic or lethal_classes or non_lethal) and _BEYOND_NON_LETHAL.search(lower):
        generic = True  # "might widen its support beyond humanitarian help" is about arms by definition
    if not (generic or lethal_classes or non_lethal) and ctx.arms_article and _EXPORT_LICENCES.search(lower):
        generic = True  # "export licences" in an article about arms are arms-export licences
    if not (generic or lethal_classes or non_lethal):
        # "Oslo is studying the request": arms named in the previous sentence carry over; so does a bare
        # stance right after an arms sentence ("the government was keeping its options open").
        # lex-1.4: with no arms sentence before, an earlier clause of the same sentence serves ("… how
        # many howitzers the army could spare, but no decision on sending them was made").
        carried = ctx.previous_weapons if ctx.previous_weapons is not None else _arms_named(sentence[:clause_offset])
        if not (carried is not None and (ANAPHORA.search(lower) or _BARE_STANCE.search(lower))):
            return None
        weapons = list(carried)
        lethal_classes = {code for _, code in weapons if code != "non_lethal_equipment"}
        generic = None if lethal_classes else True
    hits = _pick_cue(lower)
    if is_title:
        hits += _headline_cues(clause)
    # A cue that sits inside the complement of a request ("Kyiv urged Seoul to send") or a third
    # party's warning ("Moscow warned that supplying arms would …") is not a stance.
    request = REQUEST.search(lower)
    warning = WARNING.search(lower)
    if request or warning:
        cut = min(x.start() for x in (request, warning) if x)
        hits = [h for h in hits if h[0].start() < cut]
    # A denial negates what follows it ("denied a report that the government had decided to send …").
    denial = DENIAL.search(lower)
    if denial:
        hits = [h for h in hits if h[0].start() <= denial.start()]
    cancel = CANCELLING_FRAME.search(lower)
    if cancel:
        hits = [h for h in hits if h[0].end() <= cancel.start()]
    hits = _drop_object_relative_cues(_drop_generic_group_cues(_drop_claimed(hits, lower), lower), lower)
    hits = _drop_lex14(hits, lower)
    hits = [
        h
        for h in hits
        if not (
            (h[1] in ("pledged_lethal", "delivering_lethal") and _NON_ARMS_OBJECT.match(lower[h[0].end() :]))
            or _NON_ARMS_NOUN.search(h[0].group(0))
        )
    ]
    hits = [
        h
        for h in hits
        if not _is_reduced_relative(h[0], lower)
        and not _passive_subject_excluded(h, lower)
        and lower[max(0, h[0].start() - 1) : h[0].start()] != "-"  # "US-supplied HIMARS" describes
    ]
    resolved = _resolve_level(hits, lower)
    if not resolved:
        return None
    level, strength, label, words = resolved
    background = _is_background(_up_to_cue_segment(background_text, words)) and not is_title
    names_a_country = any(clause_offset <= m.start < clause_offset + len(clause) for m in mentions)
    if _spoken_outside_government(ctx, lower, words, names_a_country, sentence):
        return None
    if label in ("sent/supplied", "delivered/arrived") and re.search(
        r"\b(?:weapons|arms|missiles|tanks|jets|shells|munitions|equipment|systems|aid|vehicles|drones)\s+$",
        lower[: max(lower.find(words), 0)],
    ):
        # "weapons supplied to Ukraine would not …": a reduced relative clause describes, it does not report.
        return None

    # Commercial deals, production and weapons tests are not aid stances unless aid words appear.
    if (
        (COMMERCIAL.search(lower) or TEST_OR_DRILL.search(lower))
        and not AID_WORDS.search(lower)
        and not EXPORT_PERMISSION.search(lower)
        and not (label in STATE_TRANSFER_LABELS and not _company_subject(lower, words))
        and level
        not in (
            "prohibits",
            "open_to_lethal",
            "considering_lethal",
        )
    ):
        return None
    if (
        level in ("prohibits", "considering_lethal", "open_to_lethal")
        and COMMERCIAL.search(lower)
        and not (
            AID_WORDS.search(lower)
            or generic
            or (level == "prohibits" and ctx.arms_article and _TRADE_CONTROL.search(lower))
        )
    ):
        return None
    # Troop deployments are events, not aid deliveries; troops count only in stated stances.
    if (level == "delivering_lethal" or label == "decision to supply") and lethal_classes == {"troops"} and not generic:
        return None
    # A "non-lethal items" mention with a delivery verb is non-lethal aid, not lethal delivery.
    if (
        level in ("delivering_lethal", "pledged_lethal")
        and non_lethal
        and not lethal_classes
        and not (generic and re.search(r"\b(?:lethal|weapons?|arms|munitions|ammunition)\b", lower))
    ) or (level in ("delivering_lethal", "pledged_lethal") and _object_is_non_lethal(clause, lower, words)):
        level, label, strength = "non_lethal", f"{label} + non-lethal items", 0.6
    elif level == "prohibits" and (given := _gives_non_lethal(clause, lower)):
        # "has declined to provide weapons, and has offered a field hospital instead": the non-lethal rung.
        level, label, strength = "non_lethal", f"{label} + gives non-lethal '{given}'", 0.75
    if level == "non_lethal" and lethal_classes - {"troops"} and not re.search(r"\bnon-?lethal|only|limited", lower):
        return None

    # Countries: donor and recipient for this clause.
    local = [
        _Mention(m.code, m.start - clause_offset, m.end - clause_offset, m.text)
        for m in mentions
        if clause_offset <= m.start < clause_offset + len(clause) and clause[m.start - clause_offset] != " "
    ]
    # "via the United States", "through Poland": a channel, neither giver nor receiver.
    local = [m for m in local if not _CHANNEL_BEFORE.search(clause[max(0, m.start - 20) : m.start].lower())]
    local = [m for m in local if not _is_location(m, clause)]
    # "If Pyongyang sends troops, we will …": the country whose act is the trigger takes no part.
    triggers = _trigger_spans(lower)
    local = [m for m in local if not any(s <= m.start < e for s, e in triggers)]
    roles = {id(m): _role_of(m, clause) for m in local}
    relative = _RELATIVE_START.match(clause)
    if relative:
        # ", which have already supplied …": the antecedent right before the comma is the subject.
        antecedents = _relative_antecedents(sentence, clause_offset, mentions)
        if not antecedents and not any(roles[id(m)][1] > 0 for m in local):
            return None  # a company or a person we cannot place: no country gives here
        for a in antecedents:
            roles[id(a)] = (0.0, 1.5)
        local = antecedents + local
    cue_pos = max(lower.find(words), 0)
    if label in _PERMISSION_LABELS:
        # "Germany gave Poland permission to send …": the permitted country takes no role in this step.
        roles.update({id(m): (0.0, 0.0) for m in local if cue_pos < m.start < cue_pos + len(words)})
    if _voiced_by_non_government_person(ctx, clause, local, cue_pos):
        return None
    if label == "said it would supply":
        cue_pos += words.rfind(" would ")  # the subject is inside the cue: "said Copenhagen would transfer"
    receiving = label in RECEIVING_LABELS or bool(_RECEIVING_VERB.search(lower[: cue_pos + len(words)]))
    if receiving:
        # "Ukraine has received … from Sweden": the subject receives, "from X" gives.
        roles = {id(m): ((d, 0.0) if m.start < cue_pos else (r, d)) for m in local for r, d in [roles[id(m)]]}
        roles = {
            id(m): ((0.0, 1.0) if re.search(r"\bfrom\s+(?:the\s+)?$", clause[: m.start].lower()) else roles[id(m)])
            for m in local
        }
    recipient = None
    best = 0.0
    for m in local:
        r, d = roles[id(m)]
        # Ties go to the "to X" right after the cue ("… were not being provided to Ukraine").
        near = 0.2 if 0 <= m.start - cue_pos - len(words) <= 60 else 0.0
        if r > d and r + near > best:
            recipient, best = m.code, r + near
    donor = None
    best = 0.0
    for m in local:
        if m.code == recipient:
            continue
        r, d = roles[id(m)]
        # The subject nearest before the cue speaks for itself ("Seoul said Pyongyang has shipped …"
        # → Pyongyang); "by/from X" after the cue also names the giver.
        if m.start > cue_pos and _subject_of_later_verb(m, clause):
            continue  # "… to ensure Russia does not win": the subject of another verb, not the giver
        score = d + (0.3 + 0.001 * m.start if m.start < cue_pos else 0.0)
        if score > best and d >= r and d > 0:
            donor, best = m.code, score
    if donor is None:
        # A country named before the cue, not in a recipient slot, is the subject.
        for m in local:
            if (
                m.code != recipient
                and m.start < max(cue_pos, 0)
                and roles[id(m)][0] == 0
                and not _OBLIQUE_BEFORE.search(clause[: m.start].lower())
            ):
                donor = m.code
                break
    if donor is None and local and recipient is None and len({m.code for m in local}) == 1:
        only = local[0]
        if (
            only.code != _main_recipient(ctx, None)
            and only.start < cue_pos
            and not _OBLIQUE_BEFORE.search(clause[: only.start].lower())
        ):
            donor = only.code
    if recipient is None:
        recipient = _main_recipient(ctx, donor)
        # A country named in the clause that is not the donor may be the recipient ("Ukraine … Tokyo").
        if recipient is None:
            # Last resort: a country named in the clause in no other role ("… deals with Poland" is not one).
            others = [
                m.code
                for m in local
                if m.code != donor
                and roles[id(m)] == (0.0, 0.0)
                and not _OBLIQUE_BEFORE.search(clause[: m.start].lower())
                and not _THIRD_PARTY_BEFORE.search(clause[max(0, m.start - 40) : m.start].lower())
            ]
            recipient = others[0] if others else None
    if donor is None and (receiving or _ARRIVAL_WORDS.search(words) or _body_is_subject(lower, cue_pos, local)):
        return None  # "Ukraine has received …", "the EU pledged …": no country gives in this clause
    if donor is None:
        donor = ctx.last_donor if ctx.last_donor != recipient else None
        if donor is None:
            donor = _main_donor(ctx, recipient)
    if not donor or not recipient or donor == recipient:
        return None

    # A commitment tied to a condition is a conditional commitment ("will send … once repaired").
    if (
        level == "pledged_lethal"
        and re.search(
            r"\b(?:if|(?<!that )(?<!which )(?<!who )(?<!had )(?<!has )(?<!have )(?<!was )(?<!were )(?<!at )once|as soon as(?! possible| practicable| feasible| next\b| this\b| tomorrow| today| early\b| late\b| mid| \d)|provided that|on condition|in (?:phases|stages)|step by step|unless)\b",
            lower,
        )
        and not _END_USE.search(lower)
    ):
        level, label = "conditional_lethal", f"{label} + condition"
    elif label == "could/may supply" and _IF_AFTER.search(lower, cue_pos + len(words)):
        # "could send Ukraine Tomahawks if Russia does not agree": a possibility tied to a trigger.
        level, label = "conditional_lethal", f"{label} + if condition"
    elif (
        _FIRM_CONDITION.search(sentence.lower())
        and not _END_USE.search(sentence)
        and (level == "pledged_lethal" or label in ("could/may supply", "will be transferred"))
    ):
        level, label = "conditional_lethal", f"{label} + firm condition in the sentence"
    # Scope: one weapon class named and no generic "weapons/military aid" wording.
    scope = None
    if level != "non_lethal" and len(lethal_classes) == 1 and not generic:
        scope = next(iter(lethal_classes))
    certainty = _certainty(sentence)
    score = strength * CERTAINTY_FACTOR[certainty]
    if HEDGE.search(lower) and level not in ("open_to_lethal", "conditional_lethal"):
        score *= 0.85
    explicit = sum(1 for m in local if m.code in (donor, recipient))
    score *= 1.0 if explicit >= 2 else (0.9 if explicit == 1 else 0.8)
    if background:
        score *= 0.5
    # Inverted pyramid: the lead carries the news; the title alone is terse and sometimes loose.
    position = 0.85 if is_title else (1.1 if index <= 2 else 1.0)
    score *= position
    named = [
        w
        for w, code in weapons
        if (code != "non_lethal_equipment" or level == "non_lethal") and (code != "troops" or scope == "troops")
    ]
    reason = f"'{words}' ({label}) → {level}"
    if scope:
        reason += f"; scope {scope} from '{next(w for w, c in weapons if c == scope)}'"
    if certainty != ON_RECORD:
        reason += f"; {certainty.replace('_', ' ')}"
    if background:
        reason += "; background clause (discounted)"
    co_donors = _coordinated([m for m in local if m.end > 0], donor, clause)
    if relative:
        co_donors += tuple(m.code for m in local if m.end == 0 and m.code != donor)
    permitted = _PERMITTED.search(clause)
    if permitted:
        co_donors += tuple(
            m.code
            for m in local
            if permitted.start("who") <= m.start < permitted.end("who") and m.code not in (donor, recipient)
        )
    return _Candidate(
        co_recipients=_coordinated_recipients(local, recipient, clause, donor),
        co_donors=co_donors,
        donor=donor,
        recipient=recipient,
        level=level,
        scope=scope,
        evidence=sentence,
        reason=reason,
        score=score,
        certainty=certainty,
        weapons=tuple(dict.fromkeys(named)),
        conditions=tuple(_conditions(sentence)),
        speaker=_speaker(sentence),
        background=background,
        sentence_index=index,
    )


# Press releases sign off with "Copenhagen, 14 March" or open with it.
_PRESS_DATELINE = re.compile(
    r"(?:^|\n|\.\s+)(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?),\s+\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


def _vote_for_dateline(ctx: _Context, text: str) -> None:
    """A dateline's capital ("OSLO (Wire) -", "Oslo, 9 April") is a weak vote for the donor: press
    releases often say only "the government" or "the ministry"."""
    places = [m.group("place") for m in (_DATELINE.match(text.lstrip()), *_PRESS_DATELINE.finditer(text)) if m]
    for place in places:
        for mention in ctx.aliases.mentions(place.strip().title()):
            ctx.donor_votes[mention.code] += 0.5


def _is_question(sentence: str) -> bool:
    """An interviewer's or headline's question states no stance."""
    return sentence.rstrip(" \"”’'").endswith("?")


def detect(*, text: str, title: str = "", aliases: AliasTable) -> list[Signal]:
    """Stance signals in one article: at most one per (donor, recipient, scope)."""
    token = _MEMO.set({})
    try:
        return _detect(text=text, title=title, aliases=aliases)
    finally:
        _MEMO.reset(token)


def _names_arms(text: str) -> bool:
    return bool(GENERIC_ARMS.search(text) or any(code != "troops" for _, code in _weapons_in(text)))


def countries_near_arms(*, text: str, title: str = "", aliases: AliasTable, known: Iterable[str] = ()) -> list[str]:
    """The countries named in sentences that name arms or military aid, first mention first, leaving out
    the `known` ones: in a roundup of many governments, those an editor may want to code beside the
    detector's signals. (Speed: a sentence is checked for arms only when it names a new country.)"""
    skip = set(known)
    found: dict[str, None] = {}
    for sentence in [title, *split_sentences(text)]:
        new = [m.code for m in aliases.mentions(sentence) if m.code not in skip]
        if new and _names_arms(sentence):
            found.update(dict.fromkeys(new))
            skip.update(new)
    return list(found)


def mentions_arms_aid(*, text: str, title: str = "", aliases: AliasTable) -> bool:
    """Whether an article names arms (or military aid) and at least two countries: a possible donor and
    recipient. When `detect` finds no stance in such an article, an editor takes a look instead."""
    whole = f"{title}\n{text}"
    if not _names_arms(whole):
        return False
    return len({m.code for m in aliases.mentions(whole)}) >= 2


def _detect(*, text: str, title: str, aliases: AliasTable) -> list[Signal]:
    ctx = _Context(aliases=aliases)
    sentences = [(True, title.strip())] if title.strip() else []
    body = split_sentences(text)
    if body:
        _vote_for_dateline(ctx, text)
        body[0] = _DATELINE.sub("", body[0])
    # Drop a leading repetition of the title (extractors often keep the <h1>).
    if title.strip() and body and body[0].strip() == title.strip():
        body = body[1:]
    sentences += [(False, s) for s in body]
    ctx.arms_article = any(GENERIC_ARMS.search(s) or _weapons_in(s) for _, s in sentences)

    # First pass: who is in recipient and donor slots across the article.
    all_mentions = [_observe(ctx, s) for _, s in sentences]

    candidates: list[_Candidate] = []
    for index, ((is_title, sentence), mentions) in enumerate(zip(sentences, all_mentions, strict=True)):
        found_in_sentence = []
        for offset, clause in [] if _is_question(sentence) else _clauses(sentence):
            candidate = _analyse_clause(ctx, sentence, offset, clause, mentions, index, is_title)
            if candidate:
                found_in_sentence.append(candidate)
                # "Canada has sent 39 vehicles, and will send more": a later clause without its own
                # subject shares this one's.
                ctx.last_donor = candidate.donor
        for c in list(found_in_sentence):
            for other in c.co_recipients:
                if other != c.donor:
                    found_in_sentence.append(
                        _Candidate(
                            **{
                                **c.__dict__,
                                "recipient": other,
                                "co_recipients": (),
                                "reason": c.reason + "; joined recipient",
                            }
                        )
                    )
        for c in list(found_in_sentence):
            for other in c.co_donors:
                if other != c.recipient:
                    found_in_sentence.append(
                        _Candidate(
                            **{
                                **c.__dict__,
                                "donor": other,
                                "co_donors": (),
                                "co_recipients": (),
                                "reason": c.reason + "; joined donor",
                            }
                        )
                    )
        candidates += found_in_sentence
        ctx.non_government_turn = bool(NON_GOVERNMENT.search(sentence)) and not found_in_sentence
        ctx.non_government_people |= _non_government_people(sentence, mentions)
        ctx.previous_weapons = _arms_named(sentence)
        # Who speaks next, if a later sentence names no one ("We will not send weapons," he said).
        if found_in_sentence:
            ctx.last_donor = found_in_sentence[-1].donor
        else:
            subjects = [m for m in mentions if _role_of(m, sentence)[1] > 0] or _opening_subject(sentence, mentions)
            if subjects and not is_title:
                ctx.last_donor = subjects[0].code

    by_pair: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_pair[(c.donor, c.recipient)].append(c)
    # Headlines are terse; they stand in only when the body says nothing about the pair.
    for pair, group in by_pair.items():
        body_only = [c for c in group if c.sentence_index > 0 or not title.strip()]
        if body_only:
            by_pair[pair] = body_only
    best: dict[tuple[str, str, str | None], _Candidate] = {}
    for group in by_pair.values():
        # A pair seen only in background ("has so far refused", "since 2022, X has supplied") is context,
        # not news: no suggestion.
        current = [c for c in group if not c.background]
        if not current:
            # "has so far supplied only non-lethal aid" states the current limit when nothing newer does.
            current = [c for c in group if c.level == "non_lethal" and re.search(r"\bonly\b", c.evidence)]
        for c in current:
            key = (c.donor, c.recipient, c.scope)
            if key not in best or c.score > best[key].score:
                best[key] = c
    _prefer_non_lethal(best, candidates)
    _drop_restated_conditions(best)
    # Items and conditions are often spelled out in the next sentence ("… the initial aid will likely
    # consist of 155mm artillery shells"): take them when that sentence brings in no other country.
    for key, c in best.items():
        weapons, conditions = list(c.weapons), list(c.conditions)
        for j in range(c.sentence_index + 1, min(c.sentence_index + 3, len(sentences))):
            if {m.code for m in all_mentions[j]} - {c.donor, c.recipient}:
                break
            if c.scope is None and c.level != "non_lethal":
                weapons += [
                    w for w, code in _weapons_in(sentences[j][1]) if code not in ("non_lethal_equipment", "troops")
                ]
            conditions += _conditions(sentences[j][1])
        best[key] = _Candidate(
            **{**c.__dict__, "weapons": tuple(dict.fromkeys(weapons)), "conditions": tuple(dict.fromkeys(conditions))}
        )
    signals = []
    for c in sorted(best.values(), key=lambda c: (c.sentence_index, c.donor, c.recipient, c.scope or "")):
        signals.append(
            Signal(
                donor=c.donor,
                recipient=c.recipient,
                level=c.level,
                scope=c.scope,
                evidence=c.evidence,
                reason=c.reason,
                confidence=round(max(0.05, min(0.98, c.score)), 3),
                certainty=c.certainty,
                weapons=c.weapons,
                conditions=c.conditions,
                speaker=c.speaker,
            )
        )
    return signals


_NON_LETHAL_MILITARY = re.compile(
    r"\bnon-?lethal|helmets|vests|body armou?r|flak jackets|demining|mine-clearing|medical (?:kits|supplies|equipment)|"
    r"first-aid|night-vision|generators|equipment",
    re.IGNORECASE,
)


def _prefer_non_lethal(best: dict, candidates: list[_Candidate]) -> None:
    """ "No weapons, but helmets and demining gear" is the non-lethal rung, not a prohibition: when a
    donor rules out weapons and the same article has it giving non-lethal military equipment, the
    overall signal is non_lethal. Humanitarian (civilian) aid alone does not lift a prohibition."""
    for key, chosen in list(best.items()):
        donor, recipient, scope = key
        if scope is not None or chosen.level != "prohibits":
            continue
        for c in candidates:
            # Background counts here: "has so far sent only helmets" describes the standing policy.
            if (
                (c.donor, c.recipient, c.scope) == key
                and c.level == "non_lethal"
                and _NON_LETHAL_MILITARY.search(c.evidence)
            ):
                best[key] = _Candidate(
                    **{**c.__dict__, "reason": c.reason + f"; weapons ruled out in '{chosen.evidence[:80]}'"}
                )
                break


def _drop_restated_conditions(best: dict) -> None:
    """ "… could send Tomahawks if Russia does not agree" and later "any transfer depending on Moscow's
    response": with a conditional commitment for the pair, a bare "depends on" at no particular scope
    restates its condition; it is not a second, weaker stance."""
    conditional = {(d, r) for (d, r, _), c in best.items() if c.level == "conditional_lethal"}
    for key, c in list(best.items()):
        if (
            key[2] is None
            and c.level == "open_to_lethal"
            and key[:2] in conditional
            and any(f"({label})" in c.reason for label in _RESTATED_CONDITION_LABELS)
        ):
            del best[key]


def default_alias_table() -> AliasTable:
    """Aliases from pycountry plus the project's reference table, without a database."""
    import pycountry

    from tracker.stances.reference import COUNTRY_ALIASES

    table: dict[str, set[str]] = defaultdict(set)
    for c in pycountry.countries:
        for name in {getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)}:
            if name:
                table[c.alpha_3].add(name)
    for code, names in COUNTRY_ALIASES.items():
        table[code].update(names)
    return AliasTable.from_mapping(table)
