"""Benchmark the mention matcher and the clip suggester: speed, then clip recall and precision.

(a) Speed: ``find_mentions`` and ``suggest_clips`` on synthetic 4 h transcripts (about 40,000
    words in 5,000 sentences) against 100 items × 5 terms: a Mandarin one with homophone errors
    and Traditional characters, and an English one with misspelt product names. Cold (fresh
    caches) and warm runs. Target: well under 2 s each on one core.
(b) Accuracy: a recording of espeak-ng English paragraphs, each about one of six items or about
    nothing in the catalog, with known times. It is transcribed twice by the packaged Whisper base
    model: with no hints (hotwords and prompt None) and with the catalog hints the app's
    transcription job passes (``build_hotwords`` and ``build_domain_prompt`` of the names). Each
    transcript is split into sentences, matched and suggested. Clip-level recall is the share of
    item paragraphs overlapped by at least 5 s by a suggestion linking that item (also shown for
    the main item only); precision is the share of suggestions overlapping a paragraph of their
    main item by at least 5 s. Targets: recall ≥ 0.95, precision ≥ 0.85.

    .venv/bin/python -m bench.mentions_bench [--skip-speech] [--keep DIR] [--seed 11] [-v]

Measured on the 2-core reference machine (other jobs running): (a) zh 0.13 s, en 0.4–0.7 s.
(b) seed 11: no hints recall 0.83, precision 1.00 (Whisper base never writes "jadeite bangle"
recognisably: "Jadate Mangle", "giant mangle"); catalog hints recall 1.00, precision 1.00.
With hints, seeds 5 and 23: recall 1.00 and 0.89 ("hetian" heard as "fashion"), precision 1.00.
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opencc import OpenCC

from media.mentions import normalise
from media.mentions.matching import CatalogTerm, TimedSentence, TimedWord, find_mentions, terms_for
from media.mentions.suggestions import Suggestion, suggest_clips

REPO = Path(__file__).resolve().parent.parent
OVERLAP_S = 5.0
PAUSE_S = 1.5

# Synthetic catalog: 10 materials × 10 forms; (name, short name, English).
MATERIALS = (
    ("翡翠", "翠", "jadeite"),
    ("和田玉", "和田", "hetian jade"),
    ("独山玉", "独山", "dushan jade"),
    ("岫玉", "岫岩", "xiuyan jade"),
    ("玛瑙", "红玛瑙", "agate"),
    ("珍珠", "淡水珠", "pearl"),
    ("琥珀", "老琥珀", "amber"),
    ("蜜蜡", "老蜜蜡", "beeswax amber"),
    ("碧玉", "菠菜绿", "green nephrite"),
    ("白玉", "羊脂", "white jade"),
)
FORMS = (
    ("手镯", "镯子", "bangle"),
    ("吊坠", "坠子", "pendant"),
    ("平安扣", "扣子", "donut pendant"),
    ("戒指", "戒面", "ring"),
    ("项链", "链子", "necklace"),
    ("手串", "串子", "bead bracelet"),
    ("摆件", "雕件", "carving"),
    ("耳环", "耳坠", "earrings"),
    ("挂件", "牌子", "plaque"),
    ("貔貅", "招财兽", "pixiu charm"),
)
HOMOPHONES = {"翡": "非", "玉": "预", "镯": "浊", "珀": "泊", "瑙": "脑", "坠": "追"}
ZH_FILLER = (
    "大家",
    "看",
    "一下",
    "这个",
    "宝贝",
    "我们",
    "直播间",
    "今天",
    "福利",
    "价格",
    "非常",
    "便宜",
    "的",
    "了",
    "很",
    "好",
    "水头",
    "种水",
    "颜色",
    "光泽",
    "圈口",
    "链接",
    "小黄车",
    "拍",
    "下单",
    "包邮",
    "证书",
    "朋友们",
    "喜欢",
    "可以",
    "看看",
    "手感",
    "通透",
    "细腻",
    "老板",
    "厂家",
    "直发",
    "这",
    "款",
    "真的",
    "漂亮",
    "上手",
    "效果",
    "灯光",
    "下",
    "没有",
    "瑕疵",
    "纹裂",
    "主播",
    "戴",
    "给",
    "你们",
    "欢迎",
    "新来",
    "的",
    "宝宝",
)
EN_FILLER = (
    "the",
    "this",
    "that",
    "a",
    "very",
    "nice",
    "look",
    "at",
    "colour",
    "light",
    "texture",
    "price",
    "today",
    "shop",
    "order",
    "ship",
    "free",
    "welcome",
    "everyone",
    "friends",
    "here",
    "we",
    "you",
    "it",
    "is",
    "really",
    "smooth",
    "clear",
    "green",
    "white",
    "cool",
    "heavy",
    "piece",
    "see",
    "under",
    "lamp",
    "certificate",
    "testing",
    "centre",
    "comments",
    "follow",
    "room",
    "gift",
    "box",
    "polish",
    "edge",
    "size",
    "wrist",
    "hand",
    "feel",
    "soft",
    "glow",
    "quality",
    "natural",
    "stone",
    "old",
    "new",
    "our",
    "best",
    "seller",
    "offer",
    "cart",
    "now",
)


@dataclass(frozen=True)
class Paragraph:
    """A stretch of the test recording: the item it is about (None: none) and its seconds."""

    item_id: int | None
    text: str
    start: float = 0.0
    end: float = 0.0


# ---------------------------------------------------------------- (a) speed


def synthetic_catalog() -> list[CatalogTerm]:
    """Return 100 items × about 5 terms: name, two nicknames, Traditional, two English names.

    A Traditional name equal to the Simplified one is dropped, as ``terms_for`` does.
    """
    to_traditional = OpenCC("s2t")
    terms: list[CatalogTerm] = []
    for m, (material, short, material_en) in enumerate(MATERIALS):
        for f, (form, form_short, form_en) in enumerate(FORMS):
            name = material + form
            names = [
                name,
                short + form_short,
                material + form_short,
                to_traditional.convert(name),
                f"{material_en} {form_en}",
                f"{form_en} in {material_en}",
            ]
            terms.extend(terms_for(m * 10 + f + 1, names))
    return terms


def synthetic_transcript(
    rng: random.Random, words_per_item: Callable[[random.Random], list[str]], filler: list[str]
) -> list[TimedSentence]:
    """Build about 4 h of sentences (0.36 s words), a product name in one sentence of four."""
    sentences: list[TimedSentence] = []
    clock = 0.0
    for index in range(5000):
        texts = [rng.choice(filler) for _ in range(rng.randint(5, 9))]
        if index % 4 == 0:
            at = rng.randint(0, len(texts))
            texts[at:at] = words_per_item(rng)
        words = []
        for text in texts:
            words.append(TimedWord(round(clock, 3), round(clock + 0.33, 3), text))
            clock += 0.36
        sentences.append(TimedSentence(index, words[0].start, words[-1].end, tuple(words)))
        clock += 0.4
    return sentences


def zh_product_words(rng: random.Random) -> list[str]:
    """Say a product name as 1–2 character words, sometimes with a homophone or Traditional."""
    material, form = rng.choice(MATERIALS)[0], rng.choice(FORMS)[0]
    name = material + form
    if rng.random() < 0.3:
        name = "".join(HOMOPHONES.get(char, char) for char in name)
    elif rng.random() < 0.1:
        name = OpenCC("s2t").convert(name)
    words, rest = [], name
    while rest:
        size = rng.choice((1, 2))
        words.append(rest[:size])
        rest = rest[size:]
    return words


def en_product_words(rng: random.Random) -> list[str]:
    """Say an English product name, one word in five misspelt by a dropped letter."""
    name = f"{rng.choice(MATERIALS)[2]} {rng.choice(FORMS)[2]}".split()
    spoken = []
    for word in name:
        if rng.random() < 0.2 and len(word) > 4:
            cut = rng.randrange(1, len(word) - 1)
            word = word[:cut] + word[cut + 1 :]
        spoken.append(f" {word}")
    return spoken


def time_run(sentences: list[TimedSentence], terms: list[CatalogTerm], label: str) -> None:
    """Time matching (cold and warm caches) and suggestions on one transcript; print them."""
    normalise.fold_char.cache_clear()
    normalise.pinyin_readings.cache_clear()
    started = time.perf_counter()
    mentions = find_mentions(sentences, terms)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    find_mentions(sentences, terms)
    warm = time.perf_counter() - started
    started = time.perf_counter()
    clips = suggest_clips(sentences, mentions)
    suggest = time.perf_counter() - started
    words = sum(len(s.words) for s in sentences)
    hours = sentences[-1].end / 3600
    print(
        f"{label}: {hours:.1f} h, {len(sentences)} sentences, {words} words, {len(terms)} terms "
        f"-> {len(mentions)} mentions, {len(clips)} clips\n"
        f"    find_mentions cold {cold:.2f} s, warm {warm:.2f} s; suggest_clips {suggest:.2f} s"
    )


def run_speed() -> None:
    """Part (a): time both synthetic transcripts."""
    terms = synthetic_catalog()
    time_run(synthetic_transcript(random.Random(1), zh_product_words, ZH_FILLER), terms, "zh")
    filler = [f" {word}" for word in EN_FILLER]
    time_run(synthetic_transcript(random.Random(2), en_product_words, filler), terms, "en")


# ---------------------------------------------------------------- (b) accuracy

ITEMS = {
    1: ("jadeite bangle", "ice jadeite bangle"),
    2: ("hetian jade pendant", "hotan jade pendant", "white jade pendant"),
    3: ("freshwater pearl necklace", "pearl necklace"),
    4: ("amber bracelet", "baltic amber bracelet"),
    5: ("silver ring", "sterling silver ring"),
    6: ("dushan jade carving", "dushan jade", "nanyang jade carving"),
}
OPENERS = (
    "Now let us look at this {name}.",
    "Here is the {name} that many of you asked about.",
    "Next up is a lovely {name}.",
    "I want to show you our {name} now.",
)
MIDDLES = (
    "This {name} is one of our best sellers this month.",
    "Every {name} we sell is checked by hand.",
    "Many buyers come back for a second {name}.",
)
CLOSERS = (
    "If you like this {name}, add it to your cart now.",
    "The {name} link is in the yellow cart below.",
    "That was the {name}, thank you for watching.",
)
DETAILS = (
    "The colour is even from one end to the other.",
    "You can see how the light passes through it under the lamp.",
    "The polish is smooth and the edges are clean.",
    "It comes with a certificate from the national testing centre.",
    "The price today is lower than in our shop downtown.",
    "It feels cool and heavy in the hand.",
    "Look closely at the fine texture, there are no cracks at all.",
    "The size suits most people, and we can adjust it for free.",
    "My assistant will turn it slowly so you can see every side.",
    "It arrives in a gift box, ready to give to someone you love.",
)
FILLER = (
    "Welcome to everyone who just joined the live room.",
    "We ship every order within two days, and every parcel is insured.",
    "Please follow the room so you do not miss tomorrow's show.",
    "Ask in the comments if you want to see anything more closely.",
    "Our team checks each parcel before it leaves the warehouse.",
    "Returns are free within seven days if you are not happy.",
    "Let me drink some water and then we will carry on.",
    "Thank you all for the likes and the kind messages tonight.",
)


def item_paragraph(rng: random.Random, item_id: int) -> Paragraph:
    """Write a paragraph about one item: its name two or three times among details."""
    name, *aliases = ITEMS[item_id]
    details = rng.sample(DETAILS, rng.randint(3, 5))
    sentences = [rng.choice(OPENERS).format(name=name), *details]
    if rng.random() < 0.6:
        middle = rng.choice(MIDDLES).format(name=rng.choice(aliases))
        sentences.insert(rng.randint(2, len(sentences)), middle)
    sentences.append(rng.choice(CLOSERS).format(name=name))
    return Paragraph(item_id, " ".join(sentences))


def filler_paragraph(rng: random.Random) -> Paragraph:
    """Write a paragraph about no catalog item."""
    return Paragraph(None, " ".join(rng.sample(FILLER, rng.randint(3, 5))))


def script(seed: int = 11) -> list[Paragraph]:
    """Three paragraphs per item and eight fillers; the same item never twice in a row."""
    rng = random.Random(seed)
    while True:
        order = [*(item for item in ITEMS for _ in range(3)), *([None] * 8)]
        rng.shuffle(order)
        if all(a is None or a != b for a, b in itertools.pairwise(order)):
            break
    return [filler_paragraph(rng) if i is None else item_paragraph(rng, i) for i in order]


def synthesise(paragraphs: list[Paragraph], folder: Path) -> tuple[Path, list[Paragraph]]:
    """Speak each paragraph with espeak-ng, join them with pauses; return the 16 kHz WAV."""
    from tests.support.mediagen import make_english_speech

    parts = [
        make_english_speech(paragraph.text, folder / f"p{number:02d}.wav")
        for number, paragraph in enumerate(paragraphs)
    ]
    wav16, bounds = join_speech(parts, folder)
    timed = [
        Paragraph(paragraph.item_id, paragraph.text, start, end)
        for paragraph, (start, end) in zip(paragraphs, bounds, strict=True)
    ]
    return wav16, timed


def join_speech(parts: list[Path], folder: Path) -> tuple[Path, list[tuple[float, float]]]:
    """Join same-format WAV files ``PAUSE_S`` apart into a 16 kHz mono WAV; return their bounds."""
    from tests.support.mediagen import run_ffmpeg

    joined = folder / "script.wav"
    bounds: list[tuple[float, float]] = []
    with wave.open(str(joined), "wb") as out:
        for number, path in enumerate(parts):
            with wave.open(str(path), "rb") as part:
                if number == 0:
                    out.setparams(part.getparams())
                rate = part.getframerate()
                start = out.tell() / rate if number else 0.0
                out.writeframes(part.readframes(part.getnframes()))
                bounds.append((start, start + part.getnframes() / rate))
                out.writeframes(b"\0" * int(PAUSE_S * rate) * part.getsampwidth())
    wav16 = folder / "script16k.wav"
    run_ffmpeg("-i", str(joined), "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(wav16))
    return wav16, bounds


def transcribe(wav: Path, models: Path, threads: int, hinted: bool) -> list[TimedSentence]:
    """Recognise the WAV with the packaged Whisper base and split it into sentences.

    ``hinted`` passes the catalog names as hotwords and a domain prompt, as the app's
    transcription job does; otherwise the recogniser gets no hints at all.
    """
    from media.transcription.engine import WhisperRecogniser, build_domain_prompt, build_hotwords
    from media.transcription.model import prepare_packaged_model
    from media.transcripts.sentences import split_sentences

    names = [name for names in ITEMS.values() for name in names]
    recogniser = WhisperRecogniser(str(prepare_packaged_model(models)), cpu_threads=threads)
    transcript = recogniser.transcribe(
        wav,
        language="en",
        hotwords=build_hotwords(names) if hinted else None,
        initial_prompt=build_domain_prompt(names, "en") if hinted else None,
        on_progress=None,
    )
    return [
        TimedSentence(
            index,
            draft.start,
            draft.end,
            tuple(TimedWord(w.start, w.end, w.text) for w in draft.words),
        )
        for index, draft in enumerate(split_sentences(transcript.segments))
    ]


def shared_s(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Seconds two intervals share."""
    return max(0.0, min(a_end, b_end) - max(a_start, b_start))


def recall(paragraphs: list[Paragraph], clips: list[Suggestion], *, main_only: bool) -> float:
    """Share of item paragraphs overlapped ≥ OVERLAP_S by a clip linking (or led by) the item."""
    about_items = [p for p in paragraphs if p.item_id is not None]
    found = [
        p
        for p in about_items
        if any(
            p.item_id in (c.item_ids[:1] if main_only else c.item_ids)
            and shared_s(p.start, p.end, c.start, c.end) >= OVERLAP_S
            for c in clips
        )
    ]
    return len(found) / len(about_items)


def precision(paragraphs: list[Paragraph], clips: list[Suggestion]) -> float:
    """Share of clips overlapping ≥ OVERLAP_S a paragraph about their main item."""
    right = [
        c
        for c in clips
        if any(
            p.item_id == c.item_ids[0] and shared_s(p.start, p.end, c.start, c.end) >= OVERLAP_S
            for p in paragraphs
        )
    ]
    return len(right) / len(clips) if clips else 0.0


def evaluate(
    label: str, paragraphs: list[Paragraph], sentences: list[TimedSentence], *, verbose: bool
) -> None:
    """Match and suggest on one transcript; print recall and precision (details with -v)."""
    terms = [term for item_id, names in ITEMS.items() for term in terms_for(item_id, names)]
    mentions = find_mentions(sentences, terms)
    clips = suggest_clips(sentences, mentions)
    if verbose:
        for m in mentions:
            print(f"  mention {m.start:7.1f} item {m.item_id} {m.kind:6} {m.matched_text!r}")
        for c in sorted(clips, key=lambda c: c.start):
            print(f"  clip {c.start:7.1f}-{c.end:7.1f} items {c.item_ids} n={c.mention_count}")
    print(
        f"{label}: {len(sentences)} sentences, {len(mentions)} mentions, {len(clips)} clips\n"
        f"    recall {recall(paragraphs, clips, main_only=False):.3f} (target >= 0.95; "
        f"main item only {recall(paragraphs, clips, main_only=True):.3f}), "
        f"precision {precision(paragraphs, clips):.3f} (target >= 0.85)"
    )


def run_accuracy(folder: Path, models: Path, threads: int, seed: int, *, verbose: bool) -> None:
    """Part (b): synthesise, transcribe without and with hints, match, suggest and score."""
    wav, paragraphs = synthesise(script(seed), folder)
    items = sum(1 for p in paragraphs if p.item_id is not None)
    print(
        f"speech: {paragraphs[-1].end / 60:.1f} min, {len(paragraphs)} paragraphs "
        f"({items} about items), seed {seed}"
    )
    if verbose:
        for p in paragraphs:
            print(f"  truth {p.start:7.1f}-{p.end:7.1f} item {p.item_id}")
    for hinted, label in (
        (False, "no hints (hotwords=None)"),
        (True, "catalog hints (as the app)"),
    ):
        started = time.perf_counter()
        sentences = transcribe(wav, models, threads, hinted)
        elapsed = time.perf_counter() - started
        evaluate(f"{label}, {elapsed:.0f} s", paragraphs, sentences, verbose=verbose)


def main() -> None:
    """Run the speed part, then the speech part unless skipped."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-speech", action="store_true", help="only time the synthetic runs")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated audio in")
    parser.add_argument("--models", type=Path, default=REPO / "instance" / "models")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for CTranslate2")
    parser.add_argument("--seed", type=int, default=11, help="order and wording of the script")
    parser.add_argument("-v", "--verbose", action="store_true", help="list truth, mentions, clips")
    args = parser.parse_args()
    run_speed()
    if not args.skip_speech:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="beltcast-mentions-"))
        folder.mkdir(parents=True, exist_ok=True)
        run_accuracy(folder, args.models, args.threads, args.seed, verbose=args.verbose)


if __name__ == "__main__":
    main()
