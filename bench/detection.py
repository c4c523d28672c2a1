"""Detection quality: precision and recall of (donor, recipient, level) on the labelled set.

The set (bench/data/labelled_articles.jsonl) holds short articles written for this project in the
styles of real reporting. Part of it ("holdout") was written before the detector and never used
while tuning; a third part ("new", n01–n20) is in styles the rest lacks (press releases, interviews, live
blogs, translated summaries). The numbers for each part are reported separately.
"""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tracker.ingest.detector import DETECTOR_VERSION, default_alias_table, detect

DATA = Path(__file__).parent / "data" / "labelled_articles.jsonl"
# Written by another author who never saw the detector, its tests or the labelled set; measured once,
# after lex-1.1 was finished. From lex-1.2 on it is a development set (see BLIND_HISTORY).
BLIND = Path(__file__).parent / "data" / "blind_articles.jsonl"
# A second blind set (c01–c50) by a third author who never saw the detector, its tests or any other
# set; measured once with lex-1.2 (the independent figure, see BLIND2_HISTORY). From lex-1.3 on it is a
# development set; the independent part is a third blind set (blind3), which the lead adds.
BLIND2 = Path(__file__).parent / "data" / "blind2_articles.jsonl"
# A third blind set (d01–d50) by a fourth author who never saw the detector, its tests or any other
# set; measured once with lex-1.3 (the independent figure, see BLIND3_HISTORY). From lex-1.4 on it is a
# development set; the independent part is a fourth blind set (blind4), which the lead adds.
BLIND3 = Path(__file__).parent / "data" / "blind3_articles.jsonl"
# A fourth blind set (e01–e50) by a fifth author who never saw the detector, its tests or any other set;
# measured once with lex-1.4, the independent figure (see BLIND4_HISTORY). Never used for tuning.
BLIND4 = Path(__file__).parent / "data" / "blind4_articles.jsonl"
# History of the held-out part, kept so the numbers above stay honest. h01–h20 were written before the
# detector existed. The first ever run showed them (precision 0.86, recall 0.78, untuned detector);
# after tuning on t01–t60 they were measured once more: precision 0.77, recall 0.74. Their misses were
# then studied and they joined the tuning part (field "origin"). h21–h40 were written at that point,
# before any further change, and are the held-out part now.
HOLDOUT_HISTORY = (
    "Earlier held-out part h01–h20 (now used for tuning): precision 0.86 / recall 0.78 on the untuned "
    "first run, 0.77 / 0.74 after tuning on t01–t60 (the figure that counts for it); it was then studied "
    "and moved into tuning, and h21–h40 were written as a fresh held-out part before any further change. "
    "Counting note: the first measurement of h21–h40 counted duplicates of a triple (one per scope) as extra "
    "signals (precision 0.81 / recall 0.62); distinct triples per article, the literal reading of the metric, "
    "are counted since. The detector did not change after that measurement."
)
# n01–n20 ("new") were written by the generalisation pass (lex-1.1) in styles the rest of the set lacks
# (press releases, interviews, live blogs, translated summaries), before any detector change. They were
# measured once before the change and once after it; their misses were not studied in between.
NEW_PART_HISTORY = (
    "New-styles part n01–n20 (press releases, interviews, live blogs, translated summaries), written before "
    "lex-1.1: lex-1.0 measured precision 0.75 / recall 0.48 on it; lex-1.1 measures 0.95 / 0.80. Caveats: the "
    "same person wrote these articles and the lex-1.1 rules, and the part's aggregate line (not its misses) was "
    "seen once mid-way (0.90 / 0.76); the blind set is the independent measure. lex-1.2 studied two of its misses "
    "(n17, n20) while generalising; it measures 0.96 / 0.96. lex-1.4 studied one false signal (n08, a country "
    "whose conduct is watched as a trigger read as the donor); it measures 1.00 / 0.96."
)
BLIND_HISTORY = (
    "Blind part b01–b50 (independent author who never saw the detector): lex-1.1 measured precision 0.76 / "
    "recall 0.48 on it blind, the figure that counts for its independence. From lex-1.2 on its misses and false "
    "signals were studied and used for development (general rule families, unit-tested on other sentences), so "
    "it is no longer independent; lex-1.2 measures 0.98 / 1.00 on it. The independent measure is a second blind "
    "set by yet another author (blind2), which the lead adds and measures once."
)
BLIND2_HISTORY = (
    "Blind part c01–c50 (third author who never saw the detector): lex-1.2 measured precision 0.67 / recall "
    "0.62 on it blind, the figure that counts for its independence. From lex-1.3 on its misses and false signals "
    "were studied and used for development (general rule families that mostly remove false signals, unit-tested "
    "on other sentences), so it is no longer independent; lex-1.3 measures 0.95 / 0.79 on it. The independent "
    "measure is a third blind set by yet another author (blind3), which the lead adds and measures once."
)
BLIND3_HISTORY = (
    "Blind part d01–d50 (fourth author who never saw the detector): lex-1.3 measured precision 0.76 / recall "
    "0.64 on it blind, the figure that counts for its independence. From lex-1.4 on its misses and false signals "
    "were studied and used for development (general rule families: idioms, bans in law, permissions and approvals "
    "as pledges, triggers that name no donor, competing cues; unit-tested on other sentences), so it is no longer "
    "independent; lex-1.4 measures 1.00 / 1.00 on it. The independent measure is a fourth blind set by yet another "
    "author (blind4), which the lead adds and measures once."
)
BLIND4_HISTORY = (
    "Blind part e01–e50 (fifth author who never saw the detector, its tests or any other set): lex-1.4 measured "
    "precision 0.75 / recall 0.58 on it, once; the detector has not changed since. Its misses were read only to "
    "name the failure families (roundups of many governments in one piece, troop contributions to a peace force, "
    "funding other countries' weapons for Kyiv, a delivery read as a pledge and back). The independent figures "
    "by author: 0.76 / 0.48 (b, lex-1.1), 0.67 / 0.62 (c, lex-1.2), 0.76 / 0.64 (d, lex-1.3), 0.75 / 0.58 "
    "(e, lex-1.4). On writing it has not seen, the rule-based detector finds about six in ten stances and three "
    "in four of its signals are right, below the 0.9 / 0.8 target; tuning on each new author has not moved that "
    "figure, so the next step is a different method, not another rule pass."
)
PARTS = [
    ("tuning", "tune"),
    ("held out h21–h40", "holdout"),
    ("new styles n01–n20", "new"),
    ("blind b01–b50 (independent author; development set since lex-1.2)", "blind"),
    ("blind2 c01–c50 (third author; development set since lex-1.3)", "blind2"),
    ("blind3 d01–d50 (fourth author; development set since lex-1.4)", "blind3"),
    ("blind4 e01–e50 (fifth author, measured once: the independent figure)", "blind4"),
    ("all", None),
]
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.8


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    scope_right: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _read(path: Path, split: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [row | {"split": split} for row in rows] if split else rows


def load() -> list[dict]:
    return (
        _read(DATA)
        + _read(BLIND, "blind")
        + _read(BLIND2, "blind2")
        + _read(BLIND3, "blind3")
        + _read(BLIND4, "blind4")
    )


def evaluate(rows: list[dict] | None = None) -> tuple[dict[str, Score], list[str]]:
    aliases = default_alias_table()
    scores: dict[str, Score] = {}
    problems: list[str] = []
    for row in rows or load():
        score = scores.setdefault(row["split"], Score())
        signals = detect(text=row["text"], title=row["title"], aliases=aliases)
        # Sets of distinct (donor, recipient, level) per article: two scopes at the same level are one hit.
        got = {(s.donor, s.recipient, s.level) for s in signals}
        want = {(e["donor"], e["recipient"], e["level"]) for e in row["expected"]}
        tp = got & want
        score.tp += len(tp)
        score.fp += len(got - want)
        score.fn += len(want - got)
        scopes = {(s.donor, s.recipient, s.level): s.scope for s in signals}
        score.scope_right += sum(
            1
            for e in row["expected"]
            if (k := (e["donor"], e["recipient"], e["level"])) in tp and scopes.get(k) == e["scope"]
        )
        for triple in want - got:
            problems.append(f"- {row['split']} `{row['id']}` missed {'→'.join(triple[:2])} {triple[2]}")
        reported = set()
        for s in signals:
            if (s.donor, s.recipient, s.level) in got - want and (s.donor, s.recipient, s.level) not in reported:
                reported.add((s.donor, s.recipient, s.level))
                problems.append(f"- {row['split']} `{row['id']}` false {s.donor}→{s.recipient} {s.level}: {s.reason}")
    return scores, problems


def run() -> str:
    rows = load()
    scores, problems = evaluate(rows)
    total = Score()
    for s in scores.values():
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        total.scope_right += s.scope_right
    counts = Counter(r["split"] for r in rows)
    lines = [
        "## Stance detection quality",
        "",
        f"Detector `{DETECTOR_VERSION}` on {len(rows)} labelled articles ({counts['tune']} used while tuning, "
        f"{counts['holdout']} from an earlier held-out part, {counts['new']} in new styles, "
        f"{counts['blind']} by a second author, {counts['blind2']} by a third and {counts['blind3']} by a fourth, "
        f"all three now development sets, and {counts['blind4']} by a fifth author who never saw the detector, "
        "measured once). A hit is a matching distinct (donor, recipient, level) in an article; "
        f"targets: precision ≥ {PRECISION_TARGET}, recall ≥ {RECALL_TARGET}.",
        "",
        "| part | articles | expected | found | correct | precision | recall | scope right (of correct) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, split in PARTS:
        s = scores.get(split, Score()) if split else total
        n = counts[split] if split else len(rows)
        lines.append(
            f"| {name} | {n} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {s.precision:.2f} | {s.recall:.2f} | "
            f"{s.scope_right}/{s.tp} |"
        )
    lines += (
        [
            "",
            HOLDOUT_HISTORY,
            "",
            NEW_PART_HISTORY,
            "",
            BLIND_HISTORY,
            "",
            BLIND2_HISTORY,
            "",
            BLIND3_HISTORY,
            "",
            BLIND4_HISTORY,
            "",
        ]
        + ["Misses and false signals:", ""]
        + (problems or ["- none"])
        + [""]
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
