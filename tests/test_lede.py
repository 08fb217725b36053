"""The lede (issue 8): what happened, chosen across the sources, readable on its own, within --max-tokens."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from summarizer import load_sources, summarize
from summarizer.align import align_sources
from summarizer.engines.lede import pick_lede
from summarizer.models import Citation, FactGroup, Source, Statement
from summarizer.text.claims import context_speaker
from summarizer.text.readable import is_caption, readable_alone
from summarizer.text.shape import stands_alone
from summarizer.text.similarity import get_similarity
from summarizer.text.support import check_support
from summarizer.text.tokens import count_tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def fact(source: Source, index: int, *, position: float, centrality: float, also: list[Citation] = ()) -> FactGroup:  # type: ignore[assignment]
    own = Citation(source=source.id, sentence=index)
    return FactGroup(members=[own, *also], representative=own, text=source.sentences[index],
                     position=position, centrality=centrality)


SENTENCES = [
    "Negotiators from twelve countries agreed on Tuesday to cut fishing quotas in the North Atlantic by 15 percent.",
    "Defense Secretary Jim Mattis said on April 11.",
    "\u201cThis is a good day for the ocean and for the fishermen of tomorrow.\u201d",
    "He said the agreement would be reviewed every two years by a joint commission.",
    "What happens to the fleets now?",
    "Negotiators from twelve nations agreed on Tuesday to cut North Atlantic fishing quotas by 15 percent.",
    "Fishing industry groups warned that the cuts would cost thousands of jobs in coastal towns.",
]


@pytest.fixture
def source() -> Source:
    return Source(id=1, path="a.txt", sentences=SENTENCES)


def test_only_sentences_that_stand_alone_are_taken(source: Source) -> None:
    facts = [fact(source, i, position=i / 10, centrality=1.0 - i / 10) for i in range(len(SENTENCES))]
    lede = pick_lede(facts, [source], get_similarity("lexical"), budget=1000)
    texts = [s.text for s in lede]
    assert SENTENCES[0] in texts and SENTENCES[6] in texts
    for left_out in (1, 2, 3, 4):  # an attribution alone, a quote without its speaker, "He said", a question
        assert SENTENCES[left_out] not in texts


@pytest.mark.parametrize("text, eligible", [
    # lower-cased feeds: the attribution after the quote names the speaker without capitals
    ('" this isn\'t the pat i know, " said peg ackerman, a lobbyist for the county sheriffs.', True),
    ('" we will not rest until the case is solved, " the county sheriff said on tuesday.', True),
    ('" we will not rest until the case is solved, " he said on tuesday in the county seat.', False),
    # a reporting verb before the quote, its subject named (not a pronoun)
    ("The publisher describes the diaries as einstein's \"quirky, succinct, and at times irreverent \" musings.", True),
    ('In 1946 he famously stated that racism was "a disease of white people" at a university.', False),
    # a question run into a statement is a question; one inside a quote is the speaker's
    ("How many insects are in your home? none? some new research suggests ten times more.", False),
    ('"Why now?" the minister asked reporters at the news conference in Oslo on Monday.', True),
    # ... unless the writer adds nothing but who asked it (Multi-News dev: a lede item)
    ('" did he have a debt? " clinton asked.', False),
    ('"Is this the end?" Mayor Ruth Diaz asked, as a crowd of 5,000 protesters marched on the capitol.', True),
    # the first person outside quotes: whose "my" it is, the lede cannot say
    ("My heart died along with him when the news came on Wednesday night.", False),
    ("First, our apologies: we may have hyped this year's awards as a lighter alternative.", False),
    # ... and a publication speaking of itself
    ("Everything you read on this site is based on fact, except for the lies.", False),
    ("When writing stories for this blog, we let the news sizzle and simmer in our mind.", False),
    # ... and the writer telling the reader what to do
    ("Go back to about a minute twenty and watch Paul Rudd tackle the man to the ground!", False),
    ("Follow The Daily Dot on Twitter for more of the story as it develops today.", False),
    ('(See "Chelyabinsk Meteor: The Animated Movie" for the whole flight of the rock.)', False),
    ("Like ahab with his white whale, the former mayor has long been obsessed with artifacts.", True),
    ("Get Out won the Oscar for best original screenplay on Sunday night in Los Angeles.", True),
    ("Follow-up tests at the hospital showed the virus was gone from his blood by Friday.", True),
    # a "we" later in the sentence is often everyone's
    ("Netflix jumped at the chance to bring back a show we are all nostalgic for, with its old star.", True),
    # ... but not when it did something: then it is the writer's, or a company's (dev lede items)
    ("Apple will be building a massive store in new york's grand central terminal, we have independently "
     "confirmed.", False),
    ("Friendly receptionists at the terminal became suddenly cagey when we dropped the a-bomb.", False),
    ("The view from the front seat of the car after 1.7 million miles we ' ve learned a lot.", False),
    ("\u201cMy heart died along with him,\u201d his fiancee Jane Doe told reporters on Wednesday.", True),
    ("\u201cThis is a good day for the ocean and for the fishermen of tomorrow.\u201d", False),
    # a quoted term or title is not a remark that needs a speaker
    ('Robert Buchel, who appeared on the TLC show " my 600 pound life " has died at the age of 41.', True),
    ('The sketch "black jeopardy" drew more viewers than the debate did on saturday night.', True),
    ('Watching " the return of the king, " a fantasy film receiving a limited release, brought back the '
     'sensation of the stage revival.', True),
    # ... not a remark whose speaker is about a show, named or not
    ('" we will be back on the air by monday, " a spokesman for the show said to reporters outside.', True),
    ('" we will be back on the air by monday, " the host of the show told the crowd outside.', True),
    ('" we will be back on the air by monday, " the fans of the show heard on the radio.', False),
    # a quoted name used as a modifier ("a red " make america great again " hat") is no remark
    ('tom hanks put on a goatee and a red " make america great again " hat for the sketch on saturday.', True),
    ('The strikes were an "unlawful and illegal attack on syria" which must stop at once.', False),
    ('The strikes were an " unlawful attack against syria, " and must stop at once.', False),
    # a lower-cased feed names its speakers in lower case, with an aside between name and verb
    ('" this conflict is a particular tragedy for yemeni children, " julien harneis, unicef representative in '
     'yemen, said.', True),
    ("daniels's lawyer, michael avenatti, tweeted monday that his client sued over trump's \" irresponsible and "
     "defamatory statements \" about daniels.", True),
    # more verbs of attribution: a document "reads", a headline "read:", a speaker "quipped", "remembers"
    ('the washington post headline read: " forget trump and clinton, this is the best sketch of the year. "', True),
    ('" now you too can announce it to all of your friends! " wolff quipped in a tweet.', True),
    ('" while affirming salvation through faith in christ, " the vatican document reads, " the church does not '
     'question the love of god. "', True),
    ('" at the time, i didn\'t know what i would do with the milk, " remembers anderson.', True),
    ('" we will win this fight for sure, whatever they say, " he continued.', False),
    # the attribution may close the sentence, after its last quote
    ('the girl, who is being described as " one of the nicest people at the school ", is in a coma, her family '
     'said sunday.', True),
    # ... but not stand between two quotes, where it may name the second one's speaker only
    ('amnesty believes she was told she " would not walk out of prison alive. " the foreign office has said it '
     'was " aware of reports of her imprisonment " since june.', False),
])
def test_a_remark_needs_its_speaker_and_a_quoted_term_does_not(text: str, eligible: bool) -> None:
    from summarizer.text.readable import readable_alone

    assert readable_alone(text) is eligible


@pytest.mark.parametrize("text, eligible", [
    # cut off in the source (feeds and excerpts end mid-sentence)
    ("A year later, another magic leap employee, rachna bhasin, was asked to head", False),
    ('And i \' m here to tell you that " pee-wee\'s big holiday " is as much fun as the', False),
    # the tail of a parenthesis or of a dash left by the splitter
    (") everyone's favorite messed-up meth saga won the top drama award on sunday night.", False),
    # whole sentences, closing quotes and brackets (spaced, as tokenised feeds write them) aside
    ("the company said revenue rose 12 percent in the third quarter ( its best since 2015 . )", True),
    ("The company said revenue rose 12 percent in the third quarter (its best since 2015).", True),
    ("\u201cThe strikes will continue,\u201d Defense Secretary Jim Mattis told reporters on Friday!", True),
    # a feed's teaser cut off at its word limit ends on an ellipsis
    ("Ghavami, detained while trying to attend a men's volleyball game, has been sentenced to one...", False),
    ("The state department has approved arms sales worth $1.4 billion, the first such deal with the\u2026", False),
    # a fact box scraped into the text is one long "sentence" of labelled values
    ("Avatar science fiction: united states, 2009 u.s. Release date: 2009-12-18 running length: 2: 41 mpaa "
     "classification: pg-13 cast: sam worthington, zoe saldana director: james cameron music: james horner.", False),
    ("Update: writing for slate, jamelle bouie details why the sketch worked so well with its audience.", True),
    # a note about the page, not the event
    ("clarification: elizabeth thomas is 5-feet tall, not five feet five as reported earlier.", False),
    ("Editor's note: this story was updated at 1: 55 p.m. with comments from the county sheriff.", False),
    ("Photo: montgomery county sheriff's office bobby martin was sentenced this week to life in prison.", False),
    # ... or a link to another page, its uploader, its time stamp
    ("More: christmas comes early to colerain township as neighbours rally round the toddler.", False),
    ("SEE ALSO: This Terrifying Robot Was Developed By Google To Walk Across Rough Ground", False),
    ("Related: sanders says trump is enticing his supporters to be violent at his rallies.", False),
    ("Uploaded By: JoshPalerLin on the second of December, with a description of the video.", False),
    ("More than 1,000 people were evacuated from the town on Monday, officials said.", True),
    # ... and so is a table of figures
    ("Progress has been made, particularly for people under 65 years 2001 110,299 117,662 2002 113,094 113,777 "
     "2003 114,280 107,822 black men are at highest risk.", False),
    ("The toll rose from 12 in 2015 to 30 in 2016, 41 in 2017 and 57 last year, officials said.", True),
    # ... and so is a feed's teaser that runs on into the story after its ellipsis
    ('Ferguson says he is stepping... ferguson, host of " the late late show " since 2005, told his audience '
     "he will step down.", False),
    ("Jury selection is set to begin monday in the criminal case against reed,... an obsession with the wild west "
     "compelled then-mayor steve reed to scour the country for artifacts.", False),
    # ... but not an ellipsis inside a quote, where words of a remark were left out
    ('"The inquiry must finish first... and then the cabinet decides," the foreign minister said on Tuesday.', True),
])
def test_a_sentence_cut_off_or_begun_in_the_middle_is_a_fragment(text: str, eligible: bool) -> None:
    from summarizer.text.readable import readable_alone

    assert readable_alone(text) is eligible


def test_sentences_inside_a_quotation_opened_before_them_are_found() -> None:
    from summarizer.text.readable import inside_quotations

    # a quotation over paragraphs: each opens again, the last closes
    quoted = ['The bogus report read: "Nasa has confirmed six days of darkness.', "The world will remain dark.",
              '"The head of Nasa made the announcement.', "This will be the product of a solar storm.",
              '"Officials say no problems will arise."', "Many users believed the report."]
    assert inside_quotations(quoted) == {1, 2, 3, 4}
    # curly marks, closed in the sentence after; the sentence that closes it and names the speaker
    # says whose words they are
    assert inside_quotations(["He said: \u201cWe will go.", "We will stay.\u201d", "Then he left."]) == {1}
    assert inside_quotations(['A release stated: "The town has been quarantined.',
                              'This report is entirely false," Judge Davenport said in a statement.']) == frozenset()
    # marks spaced on both sides (a tokenised feed) close but never open one: misplaced, they would
    # make every sentence after them a quotation
    tokenised = ['the judge claims, " " it\'s not as bad as it looks on tape.', '" police say he will not be charged.',
                 "The statute of limitations is five years."]
    assert inside_quotations(tokenised) == frozenset()
    # a mark never closed is a stray after a few sentences
    stray = ['He wrote: "it is done.'] + [f"Sentence {n} of the story goes on." for n in range(10)]
    assert max(inside_quotations(stray)) <= 5


def test_a_fact_said_again_in_other_words_is_not_taken_twice(source: Source) -> None:
    facts = [fact(source, 0, position=0.0, centrality=1.0), fact(source, 5, position=0.1, centrality=0.95),
             fact(source, 6, position=0.5, centrality=0.2)]
    texts = [s.text for s in pick_lede(facts, [source], get_similarity("lexical"), budget=1000)]
    assert texts == [SENTENCES[0], SENTENCES[6]]


@pytest.mark.parametrize("text, caption", [
    # the wire services' captions (Multi-News dev): they tell what a picture shows
    ("File - this may 13, 2014 file photo shows a row of google self-driving lexus cars at a google event outside "
     "the computer history museum in mountain view, calif.", True),
    ("This wednesday, april 23, 2014 photo released by cbs shows lyle lovett, left, and craig ferguson.", True),
    ("In this picture taken tuesday, aug. 18, 2015, a child gets attended to in sanaa, yemen.", True),
    ("In this Aug. 18, 2015 file photo, a man walks past the ruins of the old market.", True),
    ("Corrects number dead to two instead of three - this photo provided by the iowa state patrol shows the scene "
     "of the crash.", True),
    # ... which credit the picture, or say what someone does in it on a day given in full
    ("Claire davis ( provided by arapahoe county sheriff's office ) the senior was shot point-blank in the head "
     "friday.", True),
    ("Sheriff grayson robinson holds a picture of claire davis during a briefing saturday, dec. 14, 2013, at "
     "arapahoe high school.", True),
    # prose that names a picture, or opens on "In this"
    ("Police released this photo of the suspect on Tuesday after the robbery.", False),
    ("The Rosetta probe sent back an image of the comet on Monday, the agency said.", False),
    ("In this case, the court found that the photo was taken illegally by the agency.", False),
    ("File sharing services were blocked across the country on Friday.", False),
    ("The governor speaks to the legislature on Monday about the budget, her office said.", False),
    ("The trial opened on Monday, Jan. 23, 2017, with the prosecution's first witness.", False),
])
def test_a_caption_is_not_read_alone(text: str, caption: bool) -> None:
    assert is_caption(text) is caption
    assert readable_alone(text) is not caption


ARREST = "Police say that they have arrested two teens after some christmas decorations were vandalized."
ARREST_AGAIN = ("colerain police arrested two teens wednesday night, who they say confessed to slashing christmas "
                "decorations on adair court.")
# The dev report's "The police said two boys, 16 and 17, were arrested and charged on thursday with
# criminal damaging of an inflatable santa ..." scores 0.633 to ARREST with exact int8 products: too
# far for the test below, which needs a fact as close to the arrest as a retelling.
ARREST_CHARGES = "Two boys, 16 and 17, were charged on thursday with vandalizing christmas decorations in colerain township."
SANTAS = ("The inflatable santas were put up months before christmas so a toddler with brain cancer could enjoy "
          "the holiday spirit.")


def test_the_same_news_in_other_words_is_not_taken_twice_while_a_close_fact_with_news_of_its_own_is() -> None:
    """Multi-News dev: two items of one lede told the arrest (lower-cased feeds, as there)."""
    first = Source(id=1, path="a.txt", sentences=[ARREST, SANTAS])
    second = Source(id=2, path="b.txt", sentences=[ARREST_AGAIN, ARREST_CHARGES])
    similarity = get_similarity("semantic")
    vectors = similarity.vectors([ARREST, ARREST_AGAIN, ARREST_CHARGES])
    alike = similarity.cosines_to(vectors, 0)
    thresholds = similarity.thresholds
    # both are close to the arrest, neither as close as two wordings of one fact: MMR alone takes them
    assert thresholds.same_speaker_fact <= alike[1] < thresholds.same_fact
    assert thresholds.same_speaker_fact <= alike[2] < thresholds.same_fact
    facts = [fact(first, 0, position=0.0, centrality=1.0), fact(second, 0, position=0.0, centrality=0.9),
             fact(second, 1, position=0.5, centrality=0.5), fact(first, 1, position=0.5, centrality=0.4)]
    texts = [s.text for s in pick_lede(facts, [first, second], similarity, budget=1000)]
    # the arrest's own report bears out "Police say that they have arrested two teens ..."; the
    # charges and the boys' ages are news of their own
    assert ARREST_AGAIN not in texts
    assert len(texts) == 3 and set(texts) == {ARREST, ARREST_CHARGES, SANTAS}


def test_a_bare_quote_is_worded_by_the_member_most_reports_bear_out() -> None:
    quote = "\u201cThe two powers cannot have this kind of relationship.\u201d"
    sources = [
        Source(id=1, path="1.txt", sentences=["\u201cTrust is at a low point,\u201d Tillerson said.", quote]),
        Source(id=2, path="2.txt", sentences=[
            "America\u2019s top diplomat said the \u201ctwo powers cannot have this kind of relationship\u201d "
            "during a tense news conference."]),
        Source(id=3, path="3.txt", sentences=[quote[:-2] + ",\u201d Tillerson said."]),
        Source(id=4, path="4.txt", sentences=["\u201cTrust is at a low point,\u201d Tillerson said in Moscow.",
                                              quote[:-2] + ",\u201d he said."]),
    ]
    members = [Citation(source=1, sentence=1), Citation(source=2, sentence=0), Citation(source=3, sentence=0),
               Citation(source=4, sentence=1)]
    group = FactGroup(members=members, representative=members[0], text=quote, position=0.0, centrality=1.0)
    [item] = pick_lede([group], sources, get_similarity("lexical"), budget=1000)
    # The bare quote names no one; of the wordings that do, "..., Tillerson said." is borne out by
    # the three reports that give the words to Tillerson, "America's top diplomat said ..." by its own.
    assert item.text == sources[2].sentences[0]
    assert item.source_ids == [1, 3, 4]


def test_the_lede_fits_the_budget_reads_in_order_and_cites_what_bears_it_out() -> None:
    sources = load_sources([SEEDS])
    alignment = align_sources(sources)
    similarity = get_similarity("lexical")
    short = pick_lede(alignment.facts, sources, similarity, budget=120)
    long = pick_lede(alignment.facts, sources, similarity, budget=400)
    assert 1 <= len(short) < len(long)
    assert sum(count_tokens(s.text) for s in short) <= 120
    sentences = {s.id: s.sentences for s in sources}
    # A fact may be worded by any member that stands alone; a follower comes right after the
    # sentence it leans on, the others in the order the reports place their facts.
    # (an agreement may be worded by its sentence's opening statement: align/wording)
    positions = {sentences[m.source][m.sentence]: f.position for f in alignment.facts for m in f.members}
    positions |= {f.text: f.position for f in alignment.facts}
    leading = [s for s in long if stands_alone(s.text)]
    assert [positions[s.text] for s in leading] == sorted(positions[s.text] for s in leading)

    def place(statement: Statement) -> tuple[int, int]:
        return next((c.source, c.sentence) for c in statement.citations
                    if sentences[c.source][c.sentence].startswith(statement.text.rstrip(".")))

    for before, after in itertools.pairwise(long):
        if not stands_alone(after.text):
            (source, index), (source_after, index_after) = place(before), place(after)
            assert (source_after, index_after) == (source, index + 1)
    for statement in long:
        for citation in statement.citations:
            cited = sentences[citation.source]
            speaker = context_speaker(cited, citation.sentence)  # "he said", as its article reads
            assert check_support(statement.text, cited[citation.sentence], speaker=speaker).supported
    agreements = [a.text for a in alignment.agreements]
    assert [s.text for s in long] != agreements[: len(long)]  # not the agreements list again


def test_max_tokens_governs_the_summary_of_a_brief() -> None:
    short = summarize([SEEDS], engine="extractive", max_tokens=60)
    long = summarize([SEEDS], engine="extractive", max_tokens=400)
    words = lambda brief: sum(len(s.text.split()) for s in brief.summary)  # noqa: E731
    assert words(short) < words(long)
    assert "said on" not in " ".join(s.text for s in long.summary if len(s.text.split()) < 8)


@pytest.mark.parametrize("text, alone", [
    ("\u201cThe world\u2019s two foremost nuclear powers cannot have this kind of relationship.\u201d", False),
    ('"The world\'s two foremost nuclear powers cannot have this kind of relationship."', False),
    ("\u201cThe world\u2019s two foremost nuclear powers cannot have this kind of relationship,\u201d Tillerson said.", True),
])
def test_a_bare_quotation_does_not_stand_alone_whatever_apostrophes_it_holds(text: str, alone: bool) -> None:
    from summarizer.text.shape import stands_alone

    assert stands_alone(text) is alone


@pytest.mark.parametrize("text, alone", [
    # the pronoun after an opening conjunction is still the subject
    ("But he was firm that only Assad's forces could have carried out such a strike.", False),
    ("And they agreed to meet again in Geneva before the end of the month.", False),
    ("But the two ministers agreed to meet again in Geneva before the end of the month.", True),
    # a quantifier standing for a noun of the sentence before, as a pronoun does
    ("Some are part of an intricate ecosystem that relies on crumbs and nail clippings.", False),
    ("Others are accidental visitors trapped in this strange and dangerous world.", False),
    ("Most were released without charge after questioning on Monday night.", False),
    ("Some officials said the plan would be reviewed again before the end of the year.", True),
    ("These talks were the first between the two ministers since the war began.", True),
    # "he insisted" names no one, though the sentence goes on after it
    ('"Russia is open to this, open to dialogue with the US," he insisted, citing the war on terrorism.', False),
    ('"Russia is open to this, open to dialogue with the US," Lavrov insisted, citing the war on terrorism.', True),
    # a pronoun in its contraction is still a pronoun
    ("It's a trippy sci-fi tale about an ex-marine trained to fight an indigenous people.", False),
    ("They\u2019re in the DNA of every team that has played in the league since.", False),
    ("That's why designer Rick Wolff came up with a font of his own.", False),
    # ... and so is a possessive one: whose share, whose lawyer, the sentence does not say
    ("Its share of the vote fell by ten points in the second round.", False),
    ("His wife, Linda Kosuda-Bigazzi, was arrested and charged with murder.", False),
    ("And their relationship has been difficult since the war in Ukraine began.", False),
    ("Her attorney declined to comment to ABC News on Friday.", False),
    ("The party's share of the vote fell by ten points in the second round.", True),
    # "they" with nothing before it to stand for (the seeds: "they" are the ties of the sentence before)
    ("But Putin suggested that they have worsened instead.", False),
    ("Instead, they found trolls and bots skewing online debate about vaccine safety.", False),
    ("All they can do is assess a situation and call a human security officer to the scene.", False),
    ('Lavrov said "they have worsened" since the strike, and that trust was at a low point.', True),
    ("Russian officials said they would restore the air safety agreement this week.", True),
    ("Police said they had arrested two teens after the decorations were vandalized.", True),
    ("Tillerson and Lavrov said they had agreed to set up a working group on Wednesday.", True),
    ("The owner could be left with a dent in their pocket after vandals painted his car.", True),
])
def test_he_after_a_conjunction_or_before_a_clause_does_not_stand_alone(text: str, alone: bool) -> None:
    from summarizer.text.shape import stands_alone

    assert stands_alone(text) is alone


@pytest.mark.parametrize("text, alone", [
    # "it" standing for the clause that follows: no referent is missing
    ("It was the eighth time that Russia has used its veto power at the UN Security Council.", True),
    ("It is not clear when the criminals were busted, but the news was posted on November 2.", True),
    ("It was not immediately known when Reed would be extradited to Washington state.", True),
    ("it is unclear whether the two men knew each other before the attack.", True),
    ("It has been ten years since the last such case was reported in the state.", True),
    ("It was Lavrov who stressed the areas where closer cooperation remains possible.", True),
    # "it" standing for something of an earlier sentence (the Multi-News dev articles)
    ("It was not operated by the United States government, but by organized crime rings.", False),
    ("It is where the 2014 winter olympics were held.", False),
    ("It was the largest animal hoarding case in Monmouth County history.", False),
    ("It is also preparing a mobile app for internet search in China that will comply with censorship.", False),
    ("It was presented at a press conference in the Vatican on Thursday by Cardinal Kurt Koch.", False),
])
def test_it_stands_alone_only_when_it_stands_for_the_clause_after_it(text: str, alone: bool) -> None:
    from summarizer.text.shape import stands_alone

    assert stands_alone(text) is alone


@pytest.mark.parametrize("text, alone", [
    # set against the sentence before, or following on from it: read after another lede item, the
    # "instead" or "however" would answer that item
    ("Instead, the show made him play black jeopardy and found a new way to talk about the election.", False),
    ("However, previous scientific studies have suggested that the cloth may be from the 13th century.", False),
    ("Yet, the artifact collections he amassed using public funds were conducted largely in secret.", False),
    ("Then came a break in the case, when a neighbour reported a car parked by the road.", False),
    ("On the other hand, the council said the new road would not be built before 2030.", False),
    # ... not the same words in another use
    ("Still photographs of the launch were released by the agency on Thursday afternoon.", True),
    ("Thenardier was arrested in Paris on Tuesday after a three-week search by the police.", True),
    ("Still, the council said the new road would not be built before 2030.", False),
    # ... or adds to it (the FNC-1 dev bodies)
    ("Also, a cure for AIDS, probably, but also the Led Zeppelin thing.", False),
    ("Additionally, the company lost its licence to operate in the state last year.", False),
    ("In addition, the council said the new road would not be built before 2030.", False),
    ("Also present were the foreign ministers of both countries and their deputies.", True),
])
def test_a_sentence_that_answers_the_one_before_does_not_stand_alone(text: str, alone: bool) -> None:
    from summarizer.text.shape import stands_alone

    assert stands_alone(text) is alone


@pytest.mark.parametrize("text, alone", [
    # a pronoun after an opening phrase is still the subject, and stands for a sentence before
    ("Unfortunately, this means all information spreads as fast, even false reports.", False),
    ("Of course, this viewpoint goes against the conservative Catholic ideology on animals.", False),
    ("In Somaliland, he also had been accused of involvement in the murder of foreigners.", False),
    ("Over the next few days, their bodies simply disappeared, buried in the dark of night.", False),
    ("And if that proves true, it would constitute the worst atrocity in recent years.", False),
    # ... unless the phrase is a clause whose own subject the pronoun stands for
    ("When officers arrived, they found the singer dead inside the home.", True),
    ("when jordan arrived, he found the truck but no driver.", True),
    ("If the news was real, it would have been a treat for Zeppelin fans.", True),
    # ... or it is no pronoun, or the "it" of a clause after it
    ("On Wednesday, Russia also vetoed a UN Security Council resolution regarding Syria.", True),
    ("In 2008, it was the eighth time that Russia had used its veto at the council.", True),
    ("Putin, in a television interview ahead of the talks, was more blunt about the chill.", True),
    # no phrase at all before the comma (a feed's stray marks)
    ("... , he said the talks were over and done with for the year.", False),
    ("\u2014 , they said it was fine by them all, and by the team too.", False),
    # "..., he says." names no one, as "..., he said." does not
    ("“Bro, he drove Thomas to the liquor store,” he says.", False),
    ("The present owners have built it on the island now, he says.", False),
])
def test_a_pronoun_after_an_opening_phrase_is_read_as_the_opening_word(text: str, alone: bool) -> None:
    from summarizer.text.shape import stands_alone

    assert stands_alone(text) is alone


FOLLOWING = [
    "Negotiators from twelve countries agreed on Tuesday to cut fishing quotas in the North Atlantic by 15 percent.",
    "They said the cuts would be reviewed every two years by a joint commission of marine scientists.",
    "Fishing industry groups warned that coastal towns would lose thousands of jobs within a decade.",
]


def test_a_sentence_leaning_on_the_one_before_follows_it_when_the_budget_leaves_room() -> None:
    source = Source(id=1, path="a.txt", sentences=FOLLOWING)
    facts = [fact(source, 0, position=0.0, centrality=1.0), fact(source, 1, position=0.3, centrality=0.9),
             fact(source, 2, position=0.6, centrality=0.5)]
    lexical = get_similarity("lexical")
    # Read right after the sentence it leans on ("They" are the negotiators), though it weighs more
    # than the third, which stands alone.
    assert [s.text for s in pick_lede(facts, [source], lexical, budget=1000)] == FOLLOWING
    # The sentences that stand alone come first: a budget that holds only them leaves the follower out.
    room = count_tokens(FOLLOWING[0]) + count_tokens(FOLLOWING[2])
    assert [s.text for s in pick_lede(facts, [source], lexical, budget=room)] == [FOLLOWING[0], FOLLOWING[2]]
    # Without the sentence it leans on, never.
    assert [s.text for s in pick_lede(facts[1:], [source], lexical, budget=1000)] == [FOLLOWING[2]]


def test_a_they_that_stands_for_the_sentence_before_is_read_only_after_it() -> None:
    # The seeds (RFE/RL): the LLM cassette's fallback lede carried the second sentence alone.
    sentences = ["Many Russian officials had voiced high expectations that badly strained ties with Washington "
                 "would be mended under Trump.", "But Putin suggested that they have worsened instead.",
                 "Tillerson said the two countries had agreed to set up a working group to coordinate."]
    source = Source(id=1, path="a.txt", sentences=sentences)
    facts = [fact(source, 0, position=0.0, centrality=0.5), fact(source, 1, position=0.3, centrality=1.0),
             fact(source, 2, position=0.6, centrality=0.9)]
    lexical = get_similarity("lexical")
    assert [s.text for s in pick_lede(facts, [source], lexical, budget=1000)] == sentences
    assert [s.text for s in pick_lede([facts[1], facts[2]], [source], lexical, budget=1000)] == [sentences[2]]


def test_a_quote_follows_only_the_sentence_that_names_its_speaker() -> None:
    named = ["Fisheries minister Anna Berg said the cuts were the hardest decision of her years in office.",
             "\u201cThe stocks will not survive another decade of fishing at this rate,\u201d she said."]
    unnamed = ["The cuts were agreed at a news conference in Oslo on Tuesday after two weeks of talks.", named[1]]
    for sentences, follows in ((named, True), (unnamed, False)):
        source = Source(id=1, path="a.txt", sentences=sentences)
        facts = [fact(source, 0, position=0.0, centrality=1.0), fact(source, 1, position=0.5, centrality=0.9)]
        texts = [s.text for s in pick_lede(facts, [source], get_similarity("lexical"), budget=1000)]
        assert texts == (sentences if follows else sentences[:1])


def test_a_sentence_in_the_first_person_never_follows() -> None:
    # Whose "I" it is (the writer's, or a quotation running on from the sentence before) the lede
    # cannot tell.
    for second in ("I will leave that question to future historians of the fishing industry.",
                   "They know this is the place where I was born and raised, in the north."):
        source = Source(id=1, path="a.txt", sentences=[FOLLOWING[0], second])
        facts = [fact(source, 0, position=0.0, centrality=1.0), fact(source, 1, position=0.5, centrality=0.9)]
        texts = [s.text for s in pick_lede(facts, [source], get_similarity("lexical"), budget=1000)]
        assert texts == [FOLLOWING[0]]


def test_a_fact_worded_by_a_cut_off_sentence_is_worded_by_a_member_that_stands_alone() -> None:
    cut = Source(id=1, path="a.txt", sentences=["Negotiators from twelve countries agreed on Tuesday to cut"])
    whole = Source(id=2, path="b.txt", sentences=[FOLLOWING[0]])
    group = FactGroup(members=[Citation(source=1, sentence=0), Citation(source=2, sentence=0)],
                      representative=Citation(source=1, sentence=0), text=cut.sentences[0], centrality=1.0)
    lede = pick_lede([group], [cut, whole], get_similarity("lexical"), budget=1000)
    assert [s.text for s in lede] == [FOLLOWING[0]]
    assert Citation(source=2, sentence=0) in lede[0].citations


def test_a_fact_worded_by_another_member_is_not_taken_again_as_a_follower() -> None:
    first = Source(id=1, path="a.txt", sentences=[FOLLOWING[0], FOLLOWING[1]])
    second = Source(id=2, path="b.txt", sentences=[
        "A panel of ocean researchers from every member state will look at the quotas again, officials confirmed."])
    anchor = fact(first, 0, position=0.0, centrality=1.0)
    reviewed = FactGroup(members=[Citation(source=1, sentence=1), Citation(source=2, sentence=0)],
                         representative=Citation(source=1, sentence=1), text=FOLLOWING[1], position=0.3, centrality=0.9)
    lede = pick_lede([anchor, reviewed], [first, second], get_similarity("lexical"), budget=1000)
    texts = [s.text for s in lede]
    assert texts == [FOLLOWING[0], second.sentences[0]]  # worded by the member that stands alone, once
