"""The South Korea → Ukraine story (and two comparison donors) as test data, built with the factories.

Shared by the dashboard view tests and the browser tests. Dates are fixed; "today" is whatever the
clock says, so the step line is extended to it.
"""

from dataclasses import dataclass, field
from datetime import date

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    EventFactory,
    OutletFactory,
    StatementFactory,
    SuggestionFactory,
    TrackFactory,
    country,
    level,
    scope,
)
from tracker.stances.models import Condition, Statement

HOSTILE = (
    '<img src=x onerror="window.__xss=1"><a href="javascript:window.__xss=1">click</a>'
    "</script><script>window.__xss=1</script> & <b>bold</b>"
)


@dataclass
class Story:
    track: object
    published: list = field(default_factory=list)  # overall, published, in date order
    scoped: list = field(default_factory=list)
    hidden: list = field(default_factory=list)  # draft + retracted: never on a chart
    events: list = field(default_factory=list)
    condition: object = None
    suggestion: object = None
    others: dict = field(default_factory=dict)  # donor code → track


def build_story(*, hostile: bool = False) -> Story:
    yonhap = OutletFactory(domain="yna.co.kr", name="Yonhap")
    wikitree = OutletFactory(domain="wikitree.co.kr", name="Wikitree" if not hostile else HOSTILE)
    kor_ukr = TrackFactory(donor=country("KOR"), recipient=country("UKR"))
    treaty = EventFactory(occurred_on=date(2024, 6, 19), title="Russia and North Korea sign a mutual-defence treaty")
    treaty.countries.set(["RUS", "PRK", "KOR"])
    troops = EventFactory(
        occurred_on=date(2024, 10, 18), title=HOSTILE if hostile else "North Korean troops deployed to Russia"
    )
    troops.countries.set(["PRK", "RUS", "UKR"])
    unrelated = EventFactory(occurred_on=date(2024, 1, 1), title="Unrelated event elsewhere")
    unrelated.countries.set(["BRA"])

    def stmt(**kw):
        kw.setdefault("track", kor_ukr)
        outlet = kw.pop("outlet", yonhap)
        return StatementFactory(sources=[ArticleFactory(outlet=outlet)], **kw)

    story = Story(track=kor_ukr, events=[treaty, troops])
    story.published = [
        stmt(
            level=level("non_lethal"),
            stated_on=date(2022, 4, 11),
            speaker="Ministry of National Defense",
            quote="We provide humanitarian and non-lethal aid only; lethal weapons are not under consideration.",
        ),
        stmt(
            level=level("non_lethal"),
            stated_on=date(2023, 5, 20),
            speaker="Presidential office",
            certainty=Statement.Certainty.ATTRIBUTED,
            quote="Our position of non-lethal support has not changed.",
        ),
        stmt(
            level=level("open_to_lethal"),
            stated_on=date(2024, 6, 21),
            speaker="Presidential office",
            speaker_role="Deputy national security adviser",
            quote="There are no legal restrictions on weapon support." if not hostile else HOSTILE,
            trigger_event=treaty,
        ),
        stmt(
            level=level("considering_lethal"),
            stated_on=date(2024, 10, 22),
            speaker="Senior government official",
            certainty=Statement.Certainty.MEDIA_REPORT,
            quote="In response to North Korea's troop deployment, we will keep all options open and make a "
            "policy decision; the initial aid will likely consist of 155mm artillery shells.",
            weapons=["155mm artillery shells"],
            trigger_event=troops,
            outlet=wikitree,
        ),
    ]
    story.scoped = [
        stmt(
            level=level("considering_lethal"),
            scope=scope("air_defence"),
            stated_on=date(2024, 10, 25),
            speaker="YTN",
            certainty=Statement.Certainty.MEDIA_REPORT,
            quote="Medium-range surface-to-air missiles such as the Cheongung may be on the list.",
            weapons=["Cheongung"],
        )
    ]
    story.hidden = [
        stmt(level=level("pledged_lethal"), stated_on=date(2024, 11, 1), status=Statement.Status.DRAFT),
        stmt(
            level=level("prohibits"),
            stated_on=date(2024, 11, 2),
            status=Statement.Status.RETRACTED,
            retraction_reason="Misattributed quote",
        ),
    ]
    story.condition = ConditionFactory(
        track=kor_ukr,
        text="Further North Korean deployments or advanced military technology transfers to Russia",
        stated_on=date(2024, 10, 22),
    )
    ConditionFactory(
        track=kor_ukr, text="An old, withdrawn condition", status=Condition.Status.WITHDRAWN, stated_on=date(2022, 5, 1)
    )
    story.suggestion = SuggestionFactory(article=ArticleFactory(outlet=yonhap), level=level("pledged_lethal"))
    for code, lv, day in [
        ("DEU", "delivering_lethal", date(2022, 6, 1)),
        ("USA", "delivering_lethal", date(2022, 3, 1)),
    ]:
        track = TrackFactory(donor=country(code), recipient=country("UKR"))
        StatementFactory(track=track, level=level("non_lethal"), stated_on=date(2022, 2, 26), speaker=f"{code} MoD")
        StatementFactory(track=track, level=level(lv), stated_on=day, speaker=f"{code} government")
        story.others[code] = track
    return story
