"""The stance-signal detector, one cue family at a time (pure Python: no database)."""

from pathlib import Path

import pytest

from tracker.ingest.detector import (
    ATTRIBUTED,
    DETECTOR_VERSION,
    MEDIA_REPORT,
    ON_RECORD,
    AliasTable,
    countries_near_arms,
    default_alias_table,
    detect,
    mentions_arms_aid,
    split_sentences,
)

SEED = Path("/work/shared/seed/south-korea-lethal-aid-wikitree.txt")


@pytest.fixture(scope="module")
def aliases() -> AliasTable:
    return default_alias_table()


def signals(aliases, text, title=""):
    return detect(text=text, title=title, aliases=aliases)


def triples(found):
    return {(s.donor, s.recipient, s.level) for s in found}


# --- levels ---------------------------------------------------------------------------------------


def test_a_refusal_is_prohibits_with_the_weapon_as_scope(aliases):
    found = signals(aliases, '"I will not send Taurus to Ukraine," Chancellor Olaf Scholz told reporters in Berlin.')
    assert [(s.donor, s.recipient, s.level, s.scope) for s in found] == [
        ("DEU", "UKR", "prohibits", "long_range_missiles")
    ]


def test_negated_considering_is_prohibits(aliases):
    found = signals(aliases, "Poland is not considering sending troops to Ukraine, the prime minister said on Monday.")
    assert [(s.donor, s.recipient, s.level, s.scope) for s in found] == [("POL", "UKR", "prohibits", "troops")]


def test_do_not_exclude_is_open_to_lethal_not_prohibits(aliases):
    found = signals(aliases, "South Korea does not exclude the possibility of providing weapons to Ukraine, Yoon said.")
    assert triples(found) == {("KOR", "UKR", "open_to_lethal")}


def test_depends_on_is_open_to_lethal(aliases):
    found = signals(
        aliases, "Seoul said any decision to supply lethal weapons to Ukraine depends on what Russia does next."
    )
    assert triples(found) == {("KOR", "UKR", "open_to_lethal")}


def test_considering_is_considering_lethal(aliases):
    found = signals(aliases, "Seoul is considering sending 155mm shells to Ukraine, the defence ministry said.")
    assert [(s.donor, s.recipient, s.level, s.scope) for s in found] == [
        ("KOR", "UKR", "considering_lethal", "artillery_ammo")
    ]


def test_a_commitment_with_a_condition_is_conditional(aliases):
    found = signals(
        aliases,
        "South Korea will supply weapons to Ukraine in phases if North Korean troops join the fighting, "
        "President Yoon said.",
    )
    assert triples(found) == {("KOR", "UKR", "conditional_lethal")}
    assert any("if North Korean troops join the fighting" in c for c in found[0].conditions)


def test_an_announced_package_is_pledged(aliases):
    found = signals(
        aliases, "Finland announced a new military aid package for Ukraine worth 190 million euros on Friday."
    )
    assert triples(found) == {("FIN", "UKR", "pledged_lethal")}


def test_confirmed_deliveries_are_delivering(aliases):
    found = signals(
        aliases, "The Netherlands has delivered the last of its F-16 fighter jets to Ukraine, the ministry said."
    )
    assert [(s.donor, s.recipient, s.level, s.scope) for s in found] == [
        ("NLD", "UKR", "delivering_lethal", "combat_aircraft")
    ]


def test_a_halt_of_aid_is_prohibits(aliases):
    found = signals(
        aliases, "Slovakia's new government will halt military aid to Ukraine, Prime Minister Robert Fico said."
    )
    assert triples(found) == {("SVK", "UKR", "prohibits")}


def test_a_suspension_is_prohibits(aliases):
    found = signals(aliases, "The United States has suspended shipments of some weapons to Ukraine, the Pentagon said.")
    assert triples(found) == {("USA", "UKR", "prohibits")}


def test_non_lethal_only_is_non_lethal(aliases):
    found = signals(
        aliases, "Japan will keep its aid to Ukraine limited to non-lethal equipment such as helmets and vests."
    )
    assert triples(found) == {("JPN", "UKR", "non_lethal")}


def test_no_weapons_but_helmets_is_non_lethal_rather_than_prohibits(aliases):
    found = signals(
        aliases,
        "Austria will not deliver weapons to Ukraine, the chancellor said. "
        "Vienna will instead pay for demining equipment and helmets for Ukraine's emergency services.",
    )
    assert triples(found) == {("AUT", "UKR", "non_lethal")}


# --- who gives, who receives ----------------------------------------------------------------------


def test_a_capital_is_read_as_its_government(aliases):
    found = signals(aliases, "Seoul said on Tuesday that it was reviewing the supply of artillery shells to Kyiv.")
    assert triples(found) == {("KOR", "UKR", "considering_lethal")}


def test_the_speakers_country_is_the_donor_despite_a_dateline_elsewhere(aliases):
    found = signals(
        aliases,
        "KYIV, Nov 7 (Wire) - Germany will send four more IRIS-T air defence systems to Ukraine, "
        "German Defence Minister Boris Pistorius said during a visit to the Ukrainian capital.",
    )
    assert [(s.donor, s.recipient, s.level, s.scope) for s in found] == [
        ("DEU", "UKR", "pledged_lethal", "air_defence")
    ]


def test_a_reported_subject_beats_the_country_reporting_it(aliases):
    found = signals(
        aliases, "South Korea's defence minister said North Korea has shipped millions of artillery shells to Russia."
    )
    assert triples(found) == {("PRK", "RUS", "delivering_lethal")}


def test_received_from_names_the_giver(aliases):
    found = signals(aliases, "Ukraine has received the first CV90 infantry fighting vehicles from Sweden, Kyiv said.")
    assert triples(found) == {("SWE", "UKR", "delivering_lethal")}


def test_countries_joined_by_and_are_each_donors(aliases):
    found = signals(aliases, "Germany and the Netherlands have also provided Patriot batteries to Ukraine.")
    assert triples(found) == {("DEU", "UKR", "delivering_lethal"), ("NLD", "UKR", "delivering_lethal")}


def test_a_pronoun_sentence_keeps_the_earlier_speaker(aliases):
    found = signals(
        aliases,
        'Hungary\'s foreign minister spoke after talks in Vienna. "We will not send weapons to Ukraine," he said.',
    )
    assert triples(found) == {("HUN", "UKR", "prohibits")}


# --- certainty -------------------------------------------------------------------------------------


def test_unnamed_sources_are_attributed_and_less_confident_but_kept(aliases):
    on_record = signals(
        aliases, "The United States is considering sending ATACMS missiles to Ukraine, the Pentagon said."
    )
    unnamed = signals(
        aliases,
        "The United States is considering sending ATACMS missiles to Ukraine, "
        "according to people familiar with the matter.",
    )
    assert [s.certainty for s in on_record] == [ON_RECORD]
    assert [s.certainty for s in unnamed] == [ATTRIBUTED]
    assert unnamed[0].level == "considering_lethal"
    assert unnamed[0].confidence < on_record[0].confidence


def test_a_newspaper_report_is_a_media_report(aliases):
    found = signals(
        aliases, "South Korea is weighing the supply of 155mm shells to Ukraine, the Dong-A Ilbo reported on Tuesday."
    )
    assert [s.certainty for s in found] == [MEDIA_REPORT]


# --- things that are not stances ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # production figures
        "Hanwha Aerospace said it would raise production of K9 howitzers for Poland and Romania by a third next "
        "year, after record profits from exports to Europe.",
        # a weapons test
        "North Korea test-fired a new cruise missile off its west coast, South Korea's military said.",
        # a sale between others
        "Turkey's Baykar signed a contract to supply 12 drones to Indonesia, the company said on Tuesday.",
        # domestic procurement
        "Poland signed a deal to buy 180 more K2 tanks from South Korea for its own army.",
        # a troop deployment is an event, not arms aid
        "North Korea has sent thousands of soldiers to Russia, South Korea's spy agency said.",
        # a request is the recipient's wish, not the donor's stance
        "President Zelensky urged Seoul to send air defence systems and artillery shells to Ukraine.",
        # a third party's warning
        "Russia warned South Korea that supplying weapons to Ukraine would be a grave mistake.",
    ],
)
def test_distractors_yield_no_signal(aliases, text):
    assert signals(aliases, text) == []


def test_background_does_not_outrank_the_news(aliases):
    found = signals(
        aliases,
        "South Korea, which had previously provided only non-lethal aid to Ukraine, is now considering "
        "supplying lethal weapons, officials said.",
    )
    assert triples(found) == {("KOR", "UKR", "considering_lethal")}


def test_one_signal_per_pair_and_scope_with_the_strongest_evidence(aliases):
    found = signals(
        aliases,
        "Germany will send 20 more Leopard tanks to Ukraine, the defence minister said. "
        "Berlin could send more Leopard tanks later. "
        "Scholz again refused to deliver Taurus missiles to Ukraine.",
    )
    assert sorted((s.level, s.scope) for s in found) == [
        ("pledged_lethal", "tanks"),
        ("prohibits", "long_range_missiles"),
    ]


@pytest.mark.parametrize(
    ("weapon", "scope"),
    [
        ("Taurus missiles", "long_range_missiles"),
        ("F-16s", "combat_aircraft"),
        ("Leopard tanks", "tanks"),
        ("155mm shells", "artillery_ammo"),
        ("Cheongung missiles", "air_defence"),
        ("Patriot systems", "air_defence"),
        ("Javelin missiles", "anti_tank"),
        ("HIMARS launchers", "artillery_systems"),
        ("Bayraktar drones", "drones"),
    ],
)
def test_a_named_weapon_sets_the_scope(aliases, weapon, scope):
    found = signals(aliases, f"Canada will send {weapon} to Ukraine, the defence minister announced.")
    assert [(s.level, s.scope) for s in found] == [("pledged_lethal", scope)]
    assert weapon.split()[0] in " ".join(found[0].weapons)


def test_generic_weapons_leave_the_scope_empty(aliases):
    found = signals(aliases, "Canada will send more weapons, including drones and artillery shells, to Ukraine.")
    assert [(s.level, s.scope) for s in found] == [("pledged_lethal", None)]


# --- explanation -------------------------------------------------------------------------------------


def test_the_reason_names_the_cue_and_its_words(aliases):
    (found,) = signals(aliases, "Seoul is considering sending 155mm shells to Ukraine, the defence ministry said.")
    assert "'considering'" in found.reason
    assert "considering_lethal" in found.reason
    assert "'155mm shells'" in found.reason
    assert found.evidence.startswith("Seoul is considering")
    assert found.speaker == "the defence ministry"
    assert 0 < found.confidence <= 1
    assert DETECTOR_VERSION


def test_sentences_are_split_without_breaking_abbreviations():
    assert split_sentences("The U.S. said no. Gen. Smith agreed.\nNew paragraph here.") == [
        "The U.S. said no.",
        "Gen. Smith agreed.",
        "New paragraph here.",
    ]


def test_the_seed_article_is_kor_to_ukr_considering_with_155mm_shells(aliases):
    title, _, *body = SEED.read_text().splitlines()
    found = signals(aliases, "\n".join(body), title)
    kor_ukr = [s for s in found if (s.donor, s.recipient) == ("KOR", "UKR")]
    assert [s.level for s in kor_ukr] == ["considering_lethal"]
    assert any("155mm" in w for w in kor_ukr[0].weapons)
    assert "considering" in kor_ukr[0].reason
    assert triples(found) == {("KOR", "UKR", "considering_lethal")}


def test_a_country_named_as_a_channel_is_neither_donor_nor_recipient(aliases):
    found = signals(
        aliases, "Seoul is considering sending 155mm shells to Ukraine via the United States, officials said."
    )
    assert triples(found) == {("KOR", "UKR", "considering_lethal")}


def test_countries_permitted_to_send_are_donors_too(aliases):
    found = signals(
        aliases, "The United States said it will allow Denmark and Norway to send F-16 fighter jets to Ukraine."
    )
    assert {s.donor for s in found} == {"USA", "DNK", "NOR"}
    assert {(s.recipient, s.scope) for s in found} == {("UKR", "combat_aircraft")}


def test_sending_a_team_is_not_arms_aid(aliases):
    found = signals(
        aliases, "South Korea will send a team of military officials to Ukraine to study North Korean tactics."
    )
    assert found == []


# --- lex-1.1: paraphrase families (one row per cue family; the level is the codebook rung) ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # prohibits
        ("Portugal does not plan to send its own F-16s to Ukraine, the ministry said.", ("PRT", "UKR", "prohibits")),
        ("Britain will not be sending troops to Ukraine, the prime minister said.", ("GBR", "UKR", "prohibits")),
        (
            "Finland will not be able to send more artillery to Ukraine this year, the Finnish defence minister said.",
            ("FIN", "UKR", "prohibits"),
        ),
        ("Hungary will not allow weapons for Ukraine to cross its territory, Orban said.", ("HUN", "UKR", "prohibits")),
        ("Berlin's refusal to send Taurus missiles to Ukraine stands.", ("DEU", "UKR", "prohibits")),
        (
            "The Dutch government has decided to refrain from supplying F-35s to Israel.",
            ("NLD", "ISR", "prohibits"),
        ),
        (
            "Japan has decided against sending weapons to Ukraine, the Japanese government said.",
            ("JPN", "UKR", "prohibits"),
        ),
        (
            "Austria is under no circumstances going to supply weapons to Ukraine, the chancellor said.",
            ("AUT", "UKR", "prohibits"),
        ),
        (
            "The United States froze weapons deliveries to Ukraine on Monday, the White House said.",
            ("USA", "UKR", "prohibits"),
        ),
        (
            "Brazil's president Lula said Brazil would not sell ammunition for use in Ukraine.",
            ("BRA", "UKR", "prohibits"),
        ),
        # open_to_lethal
        (
            "President Emmanuel Macron again refused to rule out sending troops to Ukraine.",
            ("FRA", "UKR", "open_to_lethal"),
        ),
        # considering_lethal
        (
            "There is no decision yet on sending F-16s to Ukraine, the Norwegian defence minister said.",
            ("NOR", "UKR", "considering_lethal"),
        ),
        (
            "Italy is studying the delivery of a second SAMP/T battery to Ukraine, officials said.",
            ("ITA", "UKR", "considering_lethal"),
        ),
        (
            "Rome has yet to decide whether to send a second SAMP/T battery to Ukraine, Italian officials said.",
            ("ITA", "UKR", "considering_lethal"),
        ),
        (
            "Turkey is in talks on supplying more Bayraktar drones to Ukraine, the Turkish defence ministry said.",
            ("TUR", "UKR", "considering_lethal"),
        ),
        # pledged_lethal
        (
            "Germany would keep sending air defence systems to Ukraine, Pistorius said.",
            ("DEU", "UKR", "pledged_lethal"),
        ),
        (
            "Denmark donated 19 F-16 jets to Ukraine, Prime Minister Mette Frederiksen said.",
            ("DNK", "UKR", "pledged_lethal"),
        ),
        (
            "Australia will gift 49 Abrams tanks to Ukraine, the Australian government announced.",
            ("AUS", "UKR", "pledged_lethal"),
        ),
        (
            "Greece has offered to send artillery shells to Ukraine, the Greek government said.",
            ("GRC", "UKR", "pledged_lethal"),
        ),
        (
            "The Czech government cleared the export of 40 howitzers to Ukraine on Monday.",
            ("CZE", "UKR", "pledged_lethal"),
        ),
        (
            "Norway will fund the purchase of air defence systems for Ukraine, the Norwegian government said.",
            ("NOR", "UKR", "pledged_lethal"),
        ),
        (
            "The White House said on Monday it would send more Patriot interceptors to Kyiv.",
            ("USA", "UKR", "pledged_lethal"),
        ),
        ("Ottawa has committed 500 million dollars in military aid for Ukraine.", ("CAN", "UKR", "pledged_lethal")),
        (
            "Washington plans to send another 2 billion dollars in weapons to Ukraine, officials said.",
            ("USA", "UKR", "pledged_lethal"),
        ),
        (
            "Tanks promised by Spain have not yet arrived in Ukraine, Ukrainian officials complained.",
            ("ESP", "UKR", "pledged_lethal"),
        ),
        (
            "The Belgian government has given the green light for the delivery of F-16s to Ukraine.",
            ("BEL", "UKR", "pledged_lethal"),
        ),
        # delivering_lethal
        (
            "Ten Leopard tanks were handed over to Ukraine by Spain last week, the Spanish defence ministry said.",
            ("ESP", "UKR", "delivering_lethal"),
        ),
        (
            "North Korea was also supplying Russia with self-propelled guns, lawmakers said.",
            ("PRK", "RUS", "delivering_lethal"),
        ),
        (
            "Spain's government said the first Leopard tanks had reached Ukraine.",
            ("ESP", "UKR", "delivering_lethal"),
        ),
    ],
)
def test_each_paraphrase_family_reaches_its_level(aliases, text, expected):
    found = signals(aliases, text)
    assert triples(found) == {expected}
    assert all(s.reason and "→" in s.reason for s in found)


def test_stopped_short_of_committing_is_neither_a_halt_nor_a_pledge(aliases):
    found = signals(
        aliases,
        "South Korea said it would increase humanitarian aid to Ukraine but stopped short of committing to weapons.",
    )
    assert not {s.level for s in found} & {"prohibits", "pledged_lethal"}


def test_two_stances_in_one_sentence_keep_their_own_negation(aliases):
    found = signals(
        aliases,
        "Poland does not plan to send more tanks to Ukraine, but will keep supplying ammunition, "
        "the Polish defence minister said.",
    )
    assert {(s.level, s.scope) for s in found} == {("prohibits", "tanks"), ("pledged_lethal", None)}


def test_a_coordinated_new_subject_starts_its_own_clause(aliases):
    found = signals(
        aliases,
        "Lithuania will transfer armoured personnel carriers to Ukraine, Latvia will hand over drones, "
        "and Estonia has signed off on a new package of shells for Ukraine.",
    )
    assert {(s.donor, s.level, s.scope) for s in found} == {
        ("LTU", "pledged_lethal", "armoured_vehicles"),
        ("LVA", "pledged_lethal", "drones"),
        ("EST", "pledged_lethal", "artillery_ammo"),
    }


def test_a_coordinated_subject_before_and_is_not_split_off(aliases):
    found = signals(aliases, "Germany and the Netherlands have also provided Patriot units to Ukraine.")
    assert triples(found) == {("DEU", "UKR", "delivering_lethal"), ("NLD", "UKR", "delivering_lethal")}


def test_the_opposition_and_its_follow_up_quote_are_not_the_government(aliases):
    found = signals(
        aliases,
        "Opposition leader Friedrich Merz said a government led by him would send Taurus missiles to Ukraine.\n"
        '"We would send them on day one," he said.',
    )
    assert found == []


def test_an_anaphoric_arms_noun_takes_the_previous_scope_instead_of_adding_an_overall_line(aliases):
    found = signals(
        aliases,
        "Norway will not give cluster munitions to Ukraine, the Norwegian prime minister said. "
        "Norway signed the convention that bans such munitions.",
    )
    assert [(s.level, s.scope) for s in found] == [("prohibits", "artillery_ammo")]


def test_a_participle_after_an_arms_noun_describes_and_does_not_pledge(aliases):
    found = signals(
        aliases,
        "The Pentagon confirmed that 31 Abrams tanks pledged in January had been delivered to Ukraine "
        "ahead of schedule.",
    )
    assert triples(found) == {("USA", "UKR", "delivering_lethal")}


def test_the_country_of_origin_of_the_arms_is_the_donor_not_the_speaker(aliases):
    found = signals(
        aliases,
        "North Korean artillery shells were handed over to Russian forces at a border crossing, "
        "Seoul's intelligence agency said.",
    )
    assert triples(found) == {("PRK", "RUS", "delivering_lethal")}


@pytest.mark.parametrize(
    "text",
    [
        "Lockheed Martin will double production of HIMARS launchers at its Arkansas plant, the company said.",
        "South Korea test-fired its new L-SAM interceptor missile on Thursday, the defence ministry said.",
        "Poland signed a contract with South Korea for 180 K2 tanks for its own army.",
        "In 2022, Slovakia sent its MiG-29 fleet to Ukraine, a decision that split the country.",
        "Zelensky urged Japan to send air defence systems to Ukraine during a video address on Monday.",
        "Turkey sold 20 Bayraktar drones to Poland last year, according to company filings.",
    ],
)
def test_distractors_give_no_signal(aliases, text):
    assert signals(aliases, text) == []


# --- lex-1.1: article styles ------------------------------------------------------------------------


def test_live_blog_timestamps_do_not_hide_the_subject(aliases):
    found = signals(
        aliases,
        "14:05 - Sweden will hand over 18 howitzers to Ukraine, the government said.\n"
        "14:32 GMT - Air raid alerts were declared across eastern Ukraine.",
    )
    assert triples(found) == {("SWE", "UKR", "pledged_lethal")}


def test_an_interviewers_question_is_not_a_stance(aliases):
    found = signals(
        aliases,
        "Q: Will Austria send tanks to Ukraine?\nA: No. Austria will not deliver weapons to a party in a war.",
    )
    assert triples(found) == {("AUT", "UKR", "prohibits")}


def test_a_press_release_dateline_names_the_government(aliases):
    found = signals(
        aliases,
        "COPENHAGEN (Wire) - The government today approved a new package of weapons for Ukraine worth "
        "1 billion kroner, the defence ministry said.",
    )
    assert triples(found) == {("DNK", "UKR", "pledged_lethal")}


def test_the_interviewees_office_speaks_for_we(aliases):
    found = signals(
        aliases,
        "Interview with the Estonian defence minister.\nQ: Will Estonia send more howitzers?\n"
        "A: We will send everything we can spare. Our howitzers will go to Ukraine this year.",
    )
    assert triples(found) == {("EST", "UKR", "pledged_lethal")}


# --- lex-1.2 rule families (own sentences, one family per test) -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Austria will send neither weapons nor soldiers to Ukraine, the chancellor said.", ("AUT", "UKR")),
        ("Turkey will not let warships bound for Russia pass through the straits, Ankara said.", ("TUR", "RUS")),
        ("Spain has declined Ukraine's requests for Leopard tanks.", ("ESP", "UKR")),
        ("There will be no Dutch troops sent to Ukraine, the Dutch prime minister said.", ("NLD", "UKR")),
        ("The Spanish government froze all arms export licences to Israel on Tuesday.", ("ESP", "ISR")),
        ("The US has paused the shipment of 2,000-pound bombs to Israel, officials said.", ("USA", "ISR")),
    ],
)
def test_refusals_bans_and_licence_freezes_are_prohibits(aliases, text, expected):
    assert triples(signals(aliases, text)) == {(*expected, "prohibits")}


def test_licences_refused_to_two_recipients_give_both(aliases):
    found = signals(
        aliases,
        "Sweden said it would not issue new export licences to Turkey or to Azerbaijan.",
        title="Sweden curbs arms exports",
    )
    assert triples(found) == {("SWE", "TUR", "prohibits"), ("SWE", "AZE", "prohibits")}


@pytest.mark.parametrize(
    ("text", "donor"),
    [
        ("Greek officials said nothing could be ruled out regarding the delivery of weapons to Ukraine.", "GRC"),
        ("Canada said it was keeping its options open on supplying fighter jets to Ukraine.", "CAN"),
        ("Japan might move beyond non-lethal aid to Ukraine, Tokyo said.", "JPN"),
    ],
)
def test_open_phrasings_are_open_to_lethal(aliases, text, donor):
    assert triples(signals(aliases, text)) == {(donor, "UKR", "open_to_lethal")}


def test_a_bare_stance_after_an_arms_sentence_inherits_the_topic(aliases):
    found = signals(
        aliases,
        "Chile has sent Ukraine only medical kits so far. A senior official said on Monday that any change "
        "would hinge on events and that the government was keeping its options open.",
    )
    assert ("CHL", "UKR", "open_to_lethal") in triples(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Belgium's F-16s will be transferred to Ukraine next year, the defence minister said.", ("BEL", "UKR")),
        ("Portugal will buy ammunition from South Africa and give it to Ukraine, Lisbon said.", ("PRT", "UKR")),
        (
            "The Netherlands will increase its military aid to Ukraine by 2 billion euros next year, the cabinet said.",
            ("NLD", "UKR"),
        ),
        ("The State Department approved the potential sale of Harpoon missiles to Egypt.", ("USA", "EGY")),
        ("Italy signed a deal to supply Qatar with patrol boats, the Italian defence ministry said.", ("ITA", "QAT")),
        ("Denmark and Norway will jointly donate howitzers to Ukraine.", ("DNK", "UKR")),
    ],
)
def test_pledge_phrasings_and_state_sales_are_pledged(aliases, text, expected):
    assert (*expected, "pledged_lethal") in triples(signals(aliases, text))


@pytest.mark.parametrize(
    "text",
    [
        "Rheinmetall signed a contract to supply Hungary with Lynx vehicles, the company said.",
        "South Korea's Hanwha signed a deal to sell K9 howitzers to Romania.",
        "Funds will be transferred to Ukraine's central bank next week, Norway said.",
    ],
)
def test_company_deals_and_money_transfers_are_not_stances(aliases, text):
    assert signals(aliases, text) == []


def test_a_headline_infinitive_is_a_pledge(aliases):
    found = signals(aliases, "", title="Norway to send more air defence systems to Ukraine")
    assert triples(found) == {("NOR", "UKR", "pledged_lethal")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Serbia took delivery of six Rafale jets from France on Monday, the Serbian army said.", ("FRA", "SRB")),
        ("French Rafale jets are now stationed in Romania, the French defence ministry said.", ("FRA", "ROU")),
    ],
)
def test_receipt_and_stationing_are_deliveries(aliases, text, expected):
    assert triples(signals(aliases, text)) == {(*expected, "delivering_lethal")}


def test_the_owner_of_the_arms_gives_them(aliases):
    found = signals(
        aliases,
        "Prime Minister Petr Fiala said his government had approved transferring "
        "Czechia's remaining T-72 tanks to Ukraine.",
    )
    assert triples(found) == {("CZE", "UKR", "pledged_lethal")}


def test_the_owner_rule_does_not_apply_after_to_or_for(aliases):
    found = signals(aliases, "Norway will send spare parts for Ukraine's F-16s, the Norwegian government said.")
    assert {(s.donor, s.recipient) for s in found} <= {("NOR", "UKR")}


def test_the_antecedent_of_a_relative_clause_is_its_subject(aliases):
    found = signals(
        aliases, "The decision isolates Austria from Poland and Finland, which have already delivered tanks to Ukraine."
    )
    assert triples(found) == {("POL", "UKR", "delivering_lethal"), ("FIN", "UKR", "delivering_lethal")}


def test_a_relative_clause_about_a_company_names_no_donor(aliases):
    found = signals(
        aliases,
        "Officials said Estonia was studying the purchase of rockets from Acme Defence, which is also supplying "
        "launchers to the Polish army.",
    )
    assert ("EST", "POL", "delivering_lethal") not in triples(found)


def test_a_country_that_is_the_subject_of_a_later_verb_does_not_give(aliases):
    found = signals(aliases, "Poland will send MiG-29s to Ukraine to ensure Russia does not prevail.")
    assert triples(found) == {("POL", "UKR", "pledged_lethal")}


def test_a_speaker_after_the_cue_still_gives(aliases):
    found = signals(aliases, "A new package of military aid for Ukraine was announced on Friday, Germany has said.")
    assert triples(found) == {("DEU", "UKR", "pledged_lethal")}


def test_the_passive_agent_gives_and_a_seller_does_not(aliases):
    found = signals(aliases, "The tanks, which were built in the 1980s, will be handed over to Ukraine by Portugal.")
    assert triples(found) == {("PRT", "UKR", "pledged_lethal")}


def test_an_origin_prefix_names_the_country(aliases):
    found = signals(
        aliases, "Officials in Washington said US-made Abrams tanks were not being provided to Ukraine at this time."
    )
    assert triples(found) == {("USA", "UKR", "prohibits")}


def test_non_lethal_items_as_the_object_are_non_lethal(aliases):
    found = signals(
        aliases,
        "Belgium will send 2,000 sleeping bags and body armour to Ukraine, a spokesperson said, while Kyiv has "
        "begged for tanks.",
    )
    assert triples(found) == {("BEL", "UKR", "non_lethal")}


def test_a_refusal_with_a_non_lethal_gift_is_non_lethal(aliases):
    found = signals(
        aliases,
        "Ireland has refused to supply weapons to Ukraine, citing its neutrality, and has sent demining "
        "equipment and medical supplies instead.",
    )
    assert triples(found) == {("IRL", "UKR", "non_lethal")}


def test_a_standing_non_lethal_policy_in_background_lifts_a_refusal(aliases):
    found = signals(
        aliases,
        "Mexico will not send weapons to Ukraine, the foreign ministry said. Mexico has so far sent Ukraine "
        "only helmets and medical kits.",
    )
    assert triples(found) == {("MEX", "UKR", "non_lethal")}


def test_a_firm_condition_elsewhere_in_the_sentence_makes_a_pledge_conditional(aliases):
    found = signals(
        aliases,
        "Latvia and Estonia will supply air defence missiles to Ukraine only after their own stocks are "
        "replenished, officials said.",
    )
    assert triples(found) == {("LVA", "UKR", "conditional_lethal"), ("EST", "UKR", "conditional_lethal")}


def test_a_could_supply_with_a_proviso_is_conditional(aliases):
    found = signals(
        aliases, "Romania could ship 50,000 shells to Ukraine within a month, provided partners pay for them."
    )
    assert triples(found) == {("ROU", "UKR", "conditional_lethal")}


@pytest.mark.parametrize(
    "text",
    [
        "Germany will deliver the tanks to Ukraine as soon as possible, Scholz said.",
        "Canada approved the export of rifles to Ukraine on condition that Ukraine is the end user.",
    ],
)
def test_haste_and_end_use_terms_are_not_conditions(aliases, text):
    assert {s.level for s in signals(aliases, text)} == {"pledged_lethal"}


def test_a_trailing_participle_phrase_does_not_make_the_news_background(aliases):
    found = signals(
        aliases,
        "Sweden will provide Ukraine with Archer howitzers, the defence ministry said on Thursday, ending a "
        "debate that had divided the coalition.",
    )
    assert triples(found) == {("SWE", "UKR", "pledged_lethal")}


def test_us_abbreviation_does_not_split_a_clause(aliases):
    found = signals(aliases, "The Pentagon unveiled a new package for Ukraine, drawn from U.S. stockpiles.")
    assert triples(found) == {("USA", "UKR", "pledged_lethal")}


def test_a_press_release_lead_in_is_not_a_request(aliases):
    found = signals(
        aliases, "Press release | Ministry of Defence — Finland will increase its military support to Ukraine."
    )
    assert triples(found) == {("FIN", "UKR", "pledged_lethal")}


def test_export_licences_count_as_arms_in_an_arms_article(aliases):
    found = signals(
        aliases,
        "Norway halts arms exports to Turkey. Finland's government said it would grant no new export licences "
        "to Turkey.",
    )
    assert ("FIN", "TUR", "prohibits") in triples(found)


def test_every_signal_still_explains_itself(aliases):
    found = signals(aliases, "Austria will send neither weapons nor soldiers to Ukraine, the chancellor said.")
    assert found
    assert all("→" in s.reason and "neither" in s.reason for s in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "France has begun delivering Mirage 2000 jets to Ukraine, Defence Minister Sebastien Lecornu said.",
            ("FRA", "UKR", "delivering_lethal"),
        ),
        (
            "Washington has handed Kyiv a new batch of HIMARS launchers, the Pentagon said.",
            ("USA", "UKR", "delivering_lethal"),
        ),
        (
            "The Czech government will fund the purchase of 180,000 shells for Ukraine, Prague said.",
            ("CZE", "UKR", "pledged_lethal"),
        ),
        (
            "Denmark's decision to send all of its artillery to Ukraine was praised by NATO.",
            ("DNK", "UKR", "pledged_lethal"),
        ),
        (
            "Ukraine will receive the first Gripen jets from Sweden next year, the Swedish government said.",
            ("SWE", "UKR", "pledged_lethal"),
        ),
        ("Israel has refused to sell Iron Dome to Ukraine, Kyiv's ambassador said.", ("ISR", "UKR", "prohibits")),
    ],
)
def test_further_phrasings_of_delivery_pledge_and_refusal(aliases, text, expected):
    assert triples(signals(aliases, text)) == {expected}


def test_a_decision_to_send_troops_to_fight_is_not_an_aid_pledge(aliases):
    found = signals(aliases, "North Korea's decision to send soldiers to fight alongside Russian troops alarmed Seoul.")
    assert triples(found) == set()


def test_an_only_non_lethal_record_stands_when_nothing_newer_is_said(aliases):
    found = signals(
        aliases, "Belgium has so far supplied only non-lethal aid to Ukraine, such as helmets and generators."
    )
    assert triples(found) == {("BEL", "UKR", "non_lethal")}


def test_an_only_non_lethal_record_does_not_override_a_current_review(aliases):
    found = signals(
        aliases,
        "Chile is reviewing whether to supply weapons to Ukraine, a spokesman said. Until now Chile has sent "
        "only medical supplies and generators.",
    )
    assert triples(found) == {("CHL", "UKR", "considering_lethal")}


def test_a_coordinated_predicate_keeps_the_subject(aliases):
    found = signals(aliases, "Slovenia has refused to send tanks to Ukraine, and will instead provide helmets.")
    assert {(s.donor, s.recipient, s.level, s.scope) for s in found} == {
        ("SVN", "UKR", "prohibits", "tanks"),
        ("SVN", "UKR", "non_lethal", None),
    }


def test_capitals_of_arms_buyers_are_metonyms(aliases):
    found = signals(aliases, "Paris has suspended arms export licences to Abu Dhabi, the French foreign ministry said.")
    assert triples(found) == {("FRA", "ARE", "prohibits")}


def test_a_partner_followed_or_joined_is_a_co_donor(aliases):
    found = signals(aliases, "The Netherlands followed Denmark in pledging F-16s to Ukraine on Tuesday.")
    assert triples(found) == {("NLD", "UKR", "pledged_lethal"), ("DNK", "UKR", "pledged_lethal")}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (
            "Japan has not closed the door to sending air defence missiles to Ukraine, an official said.",
            "open_to_lethal",
        ),
        (
            "Spain is in talks with allies about sending more Leopard tanks to Ukraine, the minister said.",
            "considering_lethal",
        ),
        (
            "Belgium will deliver F-16s to Ukraine, subject to parliamentary approval, the government said.",
            "conditional_lethal",
        ),
        ("Britain became the first country to send Western tanks to Ukraine.", "pledged_lethal"),
    ],
)
def test_door_talks_approval_and_first_country_phrasings(aliases, text, level):
    assert {s.level for s in signals(aliases, text)} == {level}


def test_an_origin_adjective_reports_no_transfer(aliases):
    found = signals(aliases, "Ukrainian forces used US-supplied HIMARS to strike a Russian depot, Kyiv said.")
    assert found == []


# --- lex-1.3: stricter donor resolution ------------------------------------------------------------


def test_an_allegation_by_others_creates_no_signal(aliases):
    text = "Inspectors told the council that allegations that Iran sent drones to Venezuela were credible."
    assert signals(aliases, text) == []


def test_an_accusation_reported_by_monitors_creates_no_signal(aliases):
    text = "Monitors said accusations that Belarus supplied artillery shells to Russia were well founded."
    assert signals(aliases, text) == []


def test_the_accused_government_s_own_denial_still_counts(aliases):
    text = "Belgrade denied reports that it had sent ammunition to Ukraine, despite allegations by Moscow."
    assert ("SRB", "UKR", "prohibits") in triples(signals(aliases, text))


def test_a_recipient_subject_neither_gives_nor_borrows_a_recipient(aliases):
    text = (
        "Iran is sending drones to Russia. "
        "Ukraine has received its first batch of new air defence systems, the defence minister said."
    )
    assert triples(signals(aliases, text)) == {("IRN", "RUS", "delivering_lethal")}


def test_a_recipient_subject_with_a_named_giver_still_counts(aliases):
    text = "Ukraine has received 20 howitzers from Norway, the defence minister said."
    assert ("NOR", "UKR", "delivering_lethal") in triples(signals(aliases, text))


def test_arms_aimed_at_the_recipient_do_not_make_their_maker_a_donor(aliases):
    text = (
        "Kyiv has received new interceptors, giving it a shield against Iranian drones. "
        "Officials said the systems had arrived in Ukraine last week."
    )
    assert not any(s.donor == "IRN" for s in signals(aliases, text))


def test_a_multilateral_body_as_subject_gives_no_country_a_pledge(aliases):
    text = (
        "Russia is firing far more shells than Ukraine. "
        "The European Union pledged to supply Ukraine with two million rounds of artillery ammunition."
    )
    assert not any(s.recipient == "UKR" and s.level == "pledged_lethal" for s in signals(aliases, text))


def test_generic_groups_as_subject_describe_others(aliases):
    text = "Portugal is open to sending tanks to Ukraine, joining the countries willing to consider the step."
    assert triples(signals(aliases, text)) == {("PRT", "UKR", "open_to_lethal")}


def test_a_place_where_something_is_said_is_not_a_party(aliases):
    text = 'In Vienna, the Hungarian foreign minister said his country "will not send weapons to Ukraine".'
    assert triples(signals(aliases, text)) == {("HUN", "UKR", "prohibits")}


def test_the_addressee_of_a_letter_is_not_the_recipient(aliases):
    text = (
        "Austria will not allow the re-export of its rifles to Ukraine. "
        "In a letter to Rome, the Austrian chancellor wrote that Vienna could not authorise the transfer "
        "of the weapons."
    )
    found = triples(signals(aliases, text))
    assert ("AUT", "UKR", "prohibits") in found
    assert not any(r == "ITA" for _, r, _ in found)


def test_a_country_angered_by_the_step_is_not_the_recipient(aliases):
    assert signals(aliases, "Canada weighs sending howitzers, infuriating Moscow") == []


def test_refusing_to_exclude_after_a_time_phrase_is_open(aliases):
    text = "The Italian prime minister refused on Friday to exclude sending fighter jets to Ukraine."
    assert triples(signals(aliases, text)) == {("ITA", "UKR", "open_to_lethal")}


def test_a_standing_policy_of_long_ago_yields_to_the_news(aliases):
    text = (
        "Tokyo does not rule out providing air defence missiles to Ukraine, the Japanese prime minister said. "
        "Japan has long said it does not supply lethal equipment to countries at war."
    )
    assert triples(signals(aliases, text)) == {("JPN", "UKR", "open_to_lethal")}


def test_a_clause_dated_to_a_past_month_and_year_is_background(aliases):
    text = "In March 2016, Canada approved the sale of 40 anti-tank missiles to Ukraine, a retrospective notes."
    assert signals(aliases, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Norway and Sweden committed to handing tanks to Ukraine, with deliveries tied to the completion of "
        "crew training.",
        "Sweden expects to deliver eight tanks to Ukraine in spring — provided the crews are trained.",
    ],
)
def test_deliveries_tied_to_preconditions_are_conditional(aliases, text):
    found = signals(aliases, text)
    assert found
    assert {s.level for s in found} == {"conditional_lethal"}


def test_an_object_relative_describes_and_the_main_verb_reports(aliases):
    text = (
        "Oslo said the NASAMS battery it had pledged in March — launchers, radars and missiles — "
        "had been handed over to Ukrainian forces, the Norwegian defence ministry confirmed."
    )
    assert triples(signals(aliases, text)) == {("NOR", "UKR", "delivering_lethal")}


def test_not_handing_a_country_the_arms_is_prohibits(aliases):
    text = "The Swedish prime minister explained why he will not hand Ukraine Sweden's Gripen jets."
    assert triples(signals(aliases, text)) == {("SWE", "UKR", "prohibits")}


# --- lex-1.4: idioms, laws, permissions, triggers and competing cues ---------------------------------


def test_not_taking_an_option_off_the_table_keeps_it_open(aliases):
    text = "Canada has not taken air defence missiles for Ukraine off the table, the defence minister said."
    assert triples(signals(aliases, text)) == {("CAN", "UKR", "open_to_lethal")}


def test_a_bare_off_the_table_is_still_a_refusal(aliases):
    text = "Air defence missiles for Ukraine are off the table, the Canadian defence minister said."
    assert triples(signals(aliases, text)) == {("CAN", "UKR", "prohibits")}


@pytest.mark.parametrize(
    "text",
    [
        "Sending warplanes to Ukraine is out of the question, the Austrian chancellor told parliament.",
        '"The question of tanks for Ukraine does not arise," the Austrian chancellor said.',
        "The Austrian chancellor shut the door on sending tanks to Ukraine on Tuesday.",
    ],
)
def test_idioms_of_refusal_are_prohibits(aliases, text):
    assert triples(signals(aliases, text)) == {("AUT", "UKR", "prohibits")}


def test_leaving_the_door_ajar_is_open(aliases):
    text = "The Belgian prime minister left the door ajar on sending jets to Ukraine later this year."
    assert triples(signals(aliases, text)) == {("BEL", "UKR", "open_to_lethal")}


def test_a_law_banning_arms_sales_is_prohibits_not_an_approval(aliases):
    text = "Ireland's cabinet approved a bill banning the export of weapons and ammunition to Israel on Wednesday."
    found = signals(aliases, text)
    assert triples(found) == {("IRL", "ISR", "prohibits")}
    assert "law banning" in found[0].reason


def test_halted_military_cooperation_is_prohibits(aliases):
    text = "France said its training and military cooperation with Mali's armed forces had been halted after the coup."
    assert triples(signals(aliases, text)) == {("FRA", "MLI", "prohibits")}


def test_permission_to_re_export_is_the_permitting_governments_pledge(aliases):
    text = "Switzerland gave Spain permission on Friday to send two anti-aircraft guns of Swiss origin to Ukraine."
    found = signals(aliases, text)
    assert triples(found) == {("CHE", "UKR", "pledged_lethal")}
    assert "gave permission to supply" in found[0].reason


def test_approval_of_a_sale_to_a_named_buyer_is_a_pledge(aliases):
    text = "Washington has approved the possible sale to Morocco of 600 Stinger missiles, the agency said."
    assert triples(signals(aliases, text)) == {("USA", "MAR", "pledged_lethal")}


def test_the_country_welcoming_an_approval_receives(aliases):
    text = "Morocco's government welcomed the US State Department's approval of a possible sale of Javelin missiles."
    assert triples(signals(aliases, text)) == {("USA", "MAR", "pledged_lethal")}


def test_a_government_decision_to_give_is_a_pledge(aliases):
    text = "Today the Finnish government decided to give Ukraine a new package of artillery ammunition."
    assert triples(signals(aliases, text)) == {("FIN", "UKR", "pledged_lethal")}


def test_named_arms_that_will_follow_are_pledged_but_more_of_the_same_is_not(aliases):
    pledged = "Italy has delivered the first howitzers to Ukraine. The drones will follow in spring, Rome said."
    assert triples(signals(aliases, pledged)) == {("ITA", "UKR", "delivering_lethal"), ("ITA", "UKR", "pledged_lethal")}
    rest = "Italy has delivered the first howitzers to Ukraine, and more will follow in spring, Rome said."
    assert triples(signals(aliases, rest)) == {("ITA", "UKR", "delivering_lethal")}


def test_a_completed_handover_is_a_delivery(aliases):
    text = "Norway completed the handover of its remaining armoured vehicles to Ukraine in May."
    assert triples(signals(aliases, text)) == {("NOR", "UKR", "delivering_lethal")}


def test_the_arms_a_named_country_promised_have_arrived_is_a_delivery(aliases):
    text = "The two howitzers that Norway promised Ukraine in spring have arrived, the defence ministry in Oslo said."
    assert triples(signals(aliases, text)) == {("NOR", "UKR", "delivering_lethal")}


def test_actively_reviewing_is_considering(aliases):
    text = "The Canadian government is actively reviewing whether to provide Ukraine with more artillery shells."
    assert triples(signals(aliases, text)) == {("CAN", "UKR", "considering_lethal")}


@pytest.mark.parametrize(
    "text",
    [
        "Portugal will send anti-tank weapons to Ukraine, the minister said, declining to give a number.",
        "Portugal will send anti-tank weapons to Ukraine, the minister said, but refused to say how many.",
    ],
)
def test_withholding_figures_is_no_refusal(aliases, text):
    assert triples(signals(aliases, text)) == {("PRT", "UKR", "pledged_lethal")}


def test_a_judgement_or_a_factor_weighed_is_no_review(aliases):
    text = (
        "Austria will send helmets to Ukraine. The howitzer is considered the best in Europe, and Vienna "
        "must consider the safety of its companies in Russia."
    )
    assert triples(signals(aliases, text)) == {("AUT", "UKR", "non_lethal")}


def test_reliance_on_someones_arms_is_no_condition(aliases):
    text = "India, long dependent on Russian weapons, is buying helicopters from France, officials said."
    assert signals(aliases, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If Pyongyang sends more troops, we will supply arms to Ukraine in phases, the South Korean president said.",
        "The South Korean president said Seoul will supply arms to Ukraine in phases if Pyongyang keeps sending "
        "soldiers to the front.",
    ],
)
def test_the_country_whose_act_is_the_trigger_is_not_the_donor(aliases, text):
    assert triples(signals(aliases, text)) == {("KOR", "UKR", "conditional_lethal")}


def test_a_country_whose_conduct_is_watched_is_not_the_donor(aliases):
    # given a body that names no giver, only the watched country
    text = (
        "The cabinet office said on Monday that the government had made no decision yet on providing arms to "
        "Ukraine and was watching the extent of North Korea's military cooperation with Russia."
    )
    # when the headline names the government, then the watched country gives nothing
    found = signals(aliases, text, title="Seoul says no decision yet on arms")
    assert triples(found) == {("KOR", "UKR", "considering_lethal")}


def test_a_cue_inside_a_hypothesis_is_no_stance(aliases):
    text = "Even if Portugal decides to send jets to Ukraine, deliveries would take a year, analysts said."
    assert signals(aliases, text) == []


def test_an_indirect_question_about_what_could_be_supplied_is_no_offer(aliases):
    text = (
        "The Austrian minister ordered a check of how many howitzers the army could make available for "
        "Ukraine, but insisted that no decision on sending them had been made."
    )
    assert triples(signals(aliases, text)) == {("AUT", "UKR", "considering_lethal")}


def test_could_send_under_a_trigger_is_conditional_and_its_restated_condition_adds_nothing(aliases):
    text = (
        "The French president said he could send Ukraine cruise missiles if Russia keeps bombing cities. "
        "An aide said any transfer of the missiles would depend on Moscow's next steps."
    )
    assert triples(signals(aliases, text)) == {("FRA", "UKR", "conditional_lethal")}


def test_a_companion_at_the_podium_does_not_speak_and_its_own_defences_receive_nothing(aliases):
    text = (
        'The Italian prime minister spoke in Madrid. "Nothing is excluded," she told reporters alongside '
        "Spanish Prime Minister Pedro Sánchez when asked about jets for Ukraine, if it does not weaken "
        "Italy's own defences."
    )
    assert triples(signals(aliases, text)) == {("ITA", "UKR", "open_to_lethal")}


def test_for_use_in_the_war_in_a_country_names_the_recipient(aliases):
    text = (
        "Chile would not supply ammunition for use in the war in Ukraine, its president told a visiting "
        "German minister."
    )
    assert triples(signals(aliases, text)) == {("CHL", "UKR", "prohibits")}


def test_two_countries_in_a_relation_are_not_joint_givers(aliases):
    text = (
        "Washington has approved the possible sale of NASAMS batteries to Taiwan, a step likely to strain "
        "relations between Washington and Beijing."
    )
    assert triples(signals(aliases, text)) == {("USA", "TWN", "pledged_lethal")}


def test_an_opposition_leader_stays_outside_government_when_quoted_later(aliases):
    text = (
        "Pierre Poilievre, leader of Canada's opposition Conservatives, said he would send more tanks to Ukraine. "
        '"The next step is to supply them with jets," Poilievre told the House of Commons.'
    )
    assert signals(aliases, text) == []


def test_a_leader_opening_a_sentence_speaks_in_the_next_quote(aliases):
    text = (
        "The French president said nothing is excluded on jets for Ukraine. Chancellor Olaf Scholz, on a "
        'trip to Chile, took another line. "The question of jets for Ukraine does not arise," he said.'
    )
    assert ("DEU", "UKR", "prohibits") in triples(signals(aliases, text))


def test_military_financing_is_military_aid(aliases):
    text = "The United States will provide Vietnam with $100 million in foreign military financing, Blinken said."
    assert triples(signals(aliases, text)) == {("USA", "VNM", "pledged_lethal")}


def test_the_version_is_lex_1_4():
    assert DETECTOR_VERSION == "lex-1.4"


# --- Articles worth an editor's look when no stance is found ----------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanwha will double K9 howitzer output for Poland and Romania next year.", True),
        ("Sweden and Finland discussed military aid at a meeting in Stockholm.", True),
        ("Rice prices in Japan rose again; imports from the United States will rise.", False),
        ("Germany said it would buy more Patriot missiles.", False),  # one country: no donor → recipient pair
        ("North Korea sent more troops to Russia, Seoul said.", False),  # troops alone are not arms
    ],
)
def test_an_article_is_worth_a_look_when_it_names_arms_and_two_countries(aliases, text, expected):
    assert mentions_arms_aid(text=text, aliases=aliases) is expected


def test_the_title_counts_towards_the_look(aliases):
    assert mentions_arms_aid(title="Tanks for Ukraine", text="Germany is weighing its options.", aliases=aliases)


def test_countries_near_arms_are_those_of_sentences_about_arms_first_mention_first(aliases):
    text = (
        "Rice prices rose in Japan. Germany said it would send tanks to Ukraine. "
        "Poland, too, promised howitzers; France hosted talks on trade with Japan."
    )
    assert countries_near_arms(title="Ministers meet", text=text, aliases=aliases) == [
        "DEU",
        "UKR",
        "POL",
        "FRA",
        "JPN",
    ]
