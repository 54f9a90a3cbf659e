#!/usr/bin/env python3
"""Generate a corpus of news articles shaped like the reference article, for benchmarks.

Every article has the fields, layout and quoting of ``seeds/000_218d50f45779ca55.txt``:
``category``, ``title``, ``excerpt``, ``publishedDateTime`` (sometimes ``updatedDateTime``),
``webUrl``, ``ampWebUrl`` and ``cdnAmpWebUrl`` (most of the time), ``type``, ``quality``,
``heat``, ``published``, ``provider``, ``topics``, ``images``, ``related`` (nested articles
with their own provider and images) and ``secured``: about 3 KB of front matter, then a short
body.  Values vary (providers, languages, dates, URLs, counts of topics, images and related
items); a sixth of the articles are in French, German, Spanish or Japanese.

The articles are valid (``newsmeta validate`` finds nothing) and already in the house style
(``newsmeta reformat --check`` exits with 0).  The same ``--seed`` gives the same bytes.
Files are written flat, as ``000000.md``, ``000001.md``, ...; afterwards every file's
modification time is set 60 seconds into the past, because newsmeta's cache does not keep a
file modified in the last 2 seconds.

The word :data:`SEARCH_WORD` appears, in lower case, in the title of about one article in
nine and nowhere else (its URLs aside), so ``rg -l WORD`` and ``newsmeta search WORD`` find the
same files.

    python bench/gen.py OUT_DIR [--count 1000] [--seed 1]

or, from Python, ``generate(out_dir, count, seed)``.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

SEARCH_WORD = "semiconductor"
"""A word in the title of about 11% of the articles (and their URLs), nowhere else."""

SEARCH_SHARE = 0.12

# (name, domain, host, language, URL style, AMP style)
PROVIDERS = [
    ("Washington Post", "washingtonpost.com", "www.washingtonpost.com", "en", "dated", "query"),
    ("Reuters", "reuters.com", "www.reuters.com", "en", "suffix", "query"),
    ("VentureBeat", "venturebeat.com", "venturebeat.com", "en", "dated", "amp"),
    ("The Verge", "theverge.com", "www.theverge.com", "en", "verge", None),
    ("BBC News", "bbc.co.uk", "www.bbc.co.uk", "en", "bbc", "bbc"),
    ("Ars Technica", "arstechnica.com", "arstechnica.com", "en", "section", "amp"),
    ("SC Media", "scmagazine.com", "www.scmagazine.com", "en", "section", None),
    ("TechCrunch", "techcrunch.com", "techcrunch.com", "en", "dated", "amp"),
    ("The Guardian", "theguardian.com", "www.theguardian.com", "en", "guardian", "prefix"),
    ("Wired", "wired.com", "www.wired.com", "en", "section", None),
    ("Financial Times", "ft.com", "www.ft.com", "en", "ft", None),
    ("Associated Press", "apnews.com", "apnews.com", "en", "ap", None),
    ("Le Monde", "lemonde.fr", "www.lemonde.fr", "fr", "lemonde", "prefix"),
    ("Le Figaro", "lefigaro.fr", "www.lefigaro.fr", "fr", "section", None),
    ("Der Spiegel", "spiegel.de", "www.spiegel.de", "de", "spiegel", None),
    ("Süddeutsche Zeitung", "sueddeutsche.de", "www.sueddeutsche.de", "de", "section", None),
    ("heise online", "heise.de", "www.heise.de", "de", "section", None),
    ("El País", "elpais.com", "elpais.com", "es", "dated", "query"),
    ("NHK", "nhk.or.jp", "www3.nhk.or.jp", "ja", "nhk", None),
    ("日本経済新聞", "nikkei.com", "www.nikkei.com", "ja", "nikkei", None),
]

SECTIONS = ["technology", "business", "science", "world", "politics", "climate", "health"]
CATEGORIES = ["news", "news", "news", "technology", "business", "science"]
TYPES = ["article"] * 12 + ["video", "slideshow"]
ZONES = ["Z", "Z", "Z", "+00:00", "+01:00", "+02:00", "-04:00", "-05:00", "+09:00", "+05:30"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TOPICS = [
    "AI",
    "Computer Vision",
    "Privacy",
    "Regulation",
    "European Union",
    "Cloud Computing",
    "Data Sovereignty",
    "Quantum Computing",
    "Space",
    "Climate",
    "Energy",
    "Batteries",
    "Electric Vehicles",
    "Cybersecurity",
    "Antitrust",
    "Right to Repair",
    "Telecom",
    "Robotics",
    "Biotech",
    "Fusion",
    "Startups",
    "Open Source",
    "Social Media",
    "Export Controls",
    "China",
    "Japan",
    "Germany",
    "France",
    "Énergie",
    "Künstliche Intelligenz",
    "Inteligencia artificial",
    "量子コンピューター",
    "宇宙",
    "5G",
]

EN_SUBJECTS = [
    "Microsoft",
    "Amazon",
    "Apple",
    "Google",
    "Samsung",
    "Toyota",
    "Nvidia",
    "OpenAI",
    "Airbus",
    "Spotify",
    "NASA",
    "The European Commission",
    "The Bank of England",
    "A federal judge",
    "Researchers at MIT",
    "Japan’s space agency",
    "Germany’s cabinet",
    "Climate scientists",
    "The city council",
    "Britain’s competition watchdog",
    "Brazil’s senate",
    "India’s largest carmaker",
]
EN_VERBS = [
    "unveils",
    "delays",
    "bans",
    "approves",
    "rejects",
    "expands",
    "cuts",
    "warns of",
    "bets on",
    "pauses",
    "doubles down on",
    "settles lawsuit over",
    "opens inquiry into",
    "wins approval for",
    "scraps",
    "won’t sell police",
]
EN_OBJECTS = [
    "its facial-recognition technology",
    "a new battery plant",
    "cloud pricing",
    "a landmark privacy law",
    "a lunar lander",
    "electric-vehicle subsidies",
    "its quantum roadmap",
    "data-center expansion",
    "a wind-power auction",
    "chatbot rules",
    "app store fees",
    "a fusion test reactor",
    "satellite broadband",
    "right-to-repair rules",
    "self-driving taxis",
    "a carbon border tax",
    "drone deliveries",
    "gene-editing trials",
]
EN_TAILS = [
    "",
    "",
    "",
    ", following similar moves by rivals",
    " after years of debate",
    " as rivals catch up",
    " despite safety concerns",
    " in a blow to investors",
    ", officials say",
    " — and what it means for users",
    " for the first time",
    " ahead of the “critical” deadline",
]
EN_CLAUSES = [
    "as the company awaits regulatory rules for how agencies deploy the technology",
    "a move analysts had expected since the spring",
    "ending a dispute that lasted more than two years",
    "according to people familiar with the matter",
    "although critics say the plan does not go far enough",
    "in a decision that could reshape the industry",
    "with the first results due before the end of the year",
    "citing costs that rose faster than planned",
]
EN_SEARCH_TAILS = [
    f" amid a {SEARCH_WORD} shortage",
    f" as {SEARCH_WORD} demand slows",
    f" in {SEARCH_WORD} push",
]

FOREIGN = {
    "fr": (
        [
            "La Commission européenne",
            "Le gouvernement",
            "Les chercheurs du CNRS",
            "L’opérateur Orange",
            "La start-up nantaise",
            "Le constructeur Renault",
        ],
        [
            "présente",
            "reporte",
            "interdit",
            "approuve",
            "dévoile",
            "abandonne",
        ],
        [
            "un « défi » pour l’Europe",
            "sa stratégie énergétique",
            "un nouveau réacteur expérimental",
            "les règles du cloud souverain",
            "un satellite d’observation",
            "la réforme des données de santé",
        ],
        "Selon ses responsables, le projet doit être achevé d’ici à la fin de l’année, "
        "malgré des coûts en hausse.",
    ),
    "de": (
        [
            "Die Bundesregierung",
            "Forscher der TU München",
            "Der Autobauer aus Wolfsburg",
            "Die Telekom",
            "Das Bundeskartellamt",
        ],
        ["stoppt", "prüft", "verschiebt", "genehmigt", "kündigt an:"],
        [
            "die Förderung für Wärmepumpen",
            "Pläne für eine Chipfabrik in Magdeburg",
            "das Gesetz zur Künstlichen Intelligenz",
            "den Ausbau der Glasfasernetze",
            "neue Regeln für Datenschutz",
        ],
        "Nach Angaben des Ministeriums soll die Entscheidung noch vor der Sommerpause fallen; "
        "Kritiker äußern Zweifel.",
    ),
    "es": (
        ["El Gobierno", "Investigadores españoles", "La compañía", "El Banco de España"],
        ["aprueba", "retrasa", "presenta", "rechaza"],
        [
            "una ley de inteligencia artificial",
            "el nuevo satélite de observación",
            "su plan de energía solar",
            "la subasta de frecuencias 5G",
        ],
        "La medida, según fuentes del sector, podría entrar en vigor el próximo año tras su "
        "paso por el Congreso.",
    ),
    "ja": (
        ["理化学研究所", "政府", "トヨタ自動車", "東京大学の研究チーム", "宇宙航空研究開発機構"],
        ["が", "は"],
        [
            "国産初の量子コンピューターを公開",
            "新型電池の量産を発表",
            "生成AIの規制案をまとめる",
            "探査機の打ち上げを延期",
            "洋上風力発電の入札を開始",
        ],
        "関係者によりますと、計画は年内に正式に決定される見通しで、国内外から注目が集まっています。",
    ),
}

BODY_SENTENCES = [
    "This article was generated for newsmeta's benchmark.",
    "The figures in it are invented; the shape is that of the reference article.",
    "Officials declined to comment on the timing.",
    "Analysts said the decision had been widely expected.",
    "Further details are expected later this week.",
    "Le texte doit encore être adopté par le Sénat.",
    "Die Opposition kündigte Widerstand an.",
]

# Day counts from 2015-01-01 to 2024-12-01: dates stay well in the past.
_EPOCH_2015 = 1420070400
_SPAN = 9 * 365 * 86400 + 330 * 86400


def _cdn_amp(url: str) -> str:
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0]
    label = host.replace("-", "--").replace(".", "-")
    return f"https://{label}.cdn.ampproject.org/c/{'s/' if scheme == 'https' else ''}{rest}"


def _slug(text: str, rng: random.Random) -> str:
    out = []
    plain = unicodedata.normalize("NFKD", text.lower().replace("’", "").replace("ß", "ss"))
    for word in plain.split():
        clean = "".join(c for c in word if c.isascii() and c.isalnum())
        if clean:
            out.append(clean)
    return "-".join(out[:9]) or f"story-{rng.randrange(10**6)}"


def _date(rng: random.Random, around: int | None = None) -> tuple[str, int, time.struct_time]:
    if around is None:
        stamp = _EPOCH_2015 + rng.randrange(_SPAN)
    else:
        stamp = around - rng.randrange(0, 6 * 86400)
    stamp -= stamp % 60
    zone = rng.choice(ZONES)
    offset = 0
    if zone not in ("Z", "+00:00"):
        sign = 1 if zone[0] == "+" else -1
        offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    local = time.gmtime(stamp + offset)
    return time.strftime("%Y-%m-%dT%H:%M:%S", local) + zone, stamp, local


def _headline(rng: random.Random, lang: str, searchable: bool) -> tuple[str, str]:
    """A title and an excerpt in ``lang``."""
    if lang == "en":
        subject = rng.choice(EN_SUBJECTS)
        thing = rng.choice(EN_OBJECTS)
        tail = rng.choice(EN_SEARCH_TAILS) if searchable else rng.choice(EN_TAILS)
        title = f"{subject} {rng.choice(EN_VERBS)} {thing}{tail}"
        excerpt = (
            f"{subject} said on {rng.choice(WEEKDAYS)} that it {rng.choice(EN_VERBS)} "
            f"{thing}, {rng.choice(EN_CLAUSES)}."
        )
        if rng.random() < 0.5:
            excerpt += f" The change affects {rng.randrange(2, 900)} {rng.choice(_UNITS)}."
        return title, excerpt
    subjects, verbs, objects, sentence = FOREIGN[lang]
    subject, verb, thing = rng.choice(subjects), rng.choice(verbs), rng.choice(objects)
    if lang == "ja":
        title = f"{subject}{verb}{thing}"
        return title, f"{subject}{verb}{thing}と発表しました。{sentence}"
    title = f"{subject} {verb} {thing}"
    return title, f"{title}. {sentence}"


_UNITS = ["customers", "factories", "police departments", "apps", "engineers", "satellites"]


def _url(rng: random.Random, provider: tuple, slug: str, local: time.struct_time) -> str:
    _, _, host, _, style, _ = provider
    y, m, d = local.tm_year, local.tm_mon, local.tm_mday
    n = rng.randrange(10**7, 10**8)
    section = rng.choice(SECTIONS)
    if style == "dated":
        path = f"/{section}/{y}/{m:02d}/{d:02d}/{slug}/"
    elif style == "suffix":
        path = f"/{section}/{slug}-{y}-{m:02d}-{d:02d}/"
    elif style == "verge":
        path = f"/{y}/{m}/{d}/{n}/{slug}"
    elif style == "bbc":
        path = f"/news/{section}-{n}"
    elif style == "guardian":
        path = f"/{section}/{y}/{local.tm_yday:03d}/{slug}"
    elif style == "ft":
        path = f"/content/{n:08x}-{rng.randrange(16**4):04x}-4{rng.randrange(16**3):03x}"
    elif style == "ap":
        path = f"/article/{slug}-{n:x}"
    elif style == "lemonde":
        path = f"/{section}/article/{y}/{m:02d}/{d:02d}/{slug}_{n}_3244.html"
    elif style == "spiegel":
        path = f"/{section}/{slug}-a-{n:x}-0001-0002-0003-{n:012x}"
    elif style == "nhk":
        path = f"/news/html/{y}{m:02d}{d:02d}/k{n}{rng.randrange(10**6):06d}.html"
    elif style == "nikkei":
        path = f"/article/DGXZQO{n}{rng.choice('ABCDEFGH')}{y % 100}{m:02d}C{d:02d}A0000000/"
    else:
        path = f"/{section}/{y}/{m:02d}/{slug}-{n}/"
    return f"https://{host}{path}"


def _amp(provider: tuple, url: str) -> str | None:
    style = provider[5]
    if style == "query":
        return url + "?outputType=amp"
    if style == "amp":
        return url + "amp/" if url.endswith("/") else url + "/amp/"
    if style == "bbc":
        return url.replace("/news/", "/news/amp/", 1)
    if style == "prefix":
        scheme_host, path = url.split("/", 3)[2], url.split("/", 3)[3]
        return f"https://{scheme_host}/amp/{path}"
    return None


def _image(rng: random.Random, provider: tuple, slug: str, local: time.struct_time) -> list[str]:
    host = provider[2]
    width = rng.choice([640, 800, 960, 1000, 1200, 1440, 2048])
    across, down = rng.choice([(16, 9), (3, 2), (4, 3), (3, 4), (1, 1)])
    height = width * down // across
    name = (slug[:40] or "image").upper() if rng.random() < 0.3 else slug[:60] or "image"
    ext = rng.choice(["jpg", "jpg", "jpeg", "png", "webp"])
    if rng.random() < 0.5:
        url = (
            f"https://{host}/wp-content/uploads/{local.tm_year}/{local.tm_mon:02d}/"
            f"{name}-{rng.randrange(10**6)}.{ext}"
        )
    else:
        url = (
            f"https://{host}/resizer/v2/{name}.{ext}?auth={rng.randrange(16**10):010x}"
            f"&width={width}&quality={rng.choice([60, 75, 80, 90])}"
        )
    return [
        f'url: "{url}"',
        f"width: {width}",
        f"height: {height}",
        f"isCached: {'true' if rng.random() < 0.8 else 'false'}",
    ]


def _urls(rng: random.Random, provider: tuple, slug: str, local: time.struct_time) -> list[str]:
    web = _url(rng, provider, slug, local)
    lines = [f'webUrl: "{web}"']
    amp = _amp(provider, web) if rng.random() < 0.85 else None
    if amp:
        lines.append(f'ampWebUrl: "{amp}"')
        lines.append(f'cdnAmpWebUrl: "{_cdn_amp(amp)}"')
    return lines


def _provider_lines(provider: tuple, indent: str) -> list[str]:
    return [f"{indent}  name: {provider[0]}", f"{indent}  domain: {provider[1]}"]


def article(index: int, seed: int) -> str:
    """The text of article number ``index`` of the corpus made with ``seed``."""
    rng = random.Random(seed * 1_000_003 + index)
    provider = rng.choice(PROVIDERS)
    lang = provider[3]
    searchable = lang == "en" and rng.random() < SEARCH_SHARE / 0.6
    title, excerpt = _headline(rng, lang, searchable)
    stamp_text, stamp, local = _date(rng)
    slug = f"{_slug(title, rng)}-{index}"
    out = [
        "---",
        f"category: {rng.choice(CATEGORIES)}",
        f'title: "{title}"',
        f'excerpt: "{excerpt}"',
        f"publishedDateTime: {stamp_text}",
    ]
    if rng.random() < 0.2:
        later = stamp + rng.randrange(600, 3 * 86400)
        out.append(f"updatedDateTime: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(later))}")
    out += _urls(rng, provider, slug, local)
    out += [
        f"type: {rng.choice(TYPES)}",
        f"quality: {rng.randrange(0, 101)}",
        f"heat: {rng.choice([-1, 0, rng.randrange(1, 50), rng.randrange(50, 5000)])}",
        f"published: {'true' if rng.random() < 0.7 else 'false'}",
        "",
        "provider:",
        *_provider_lines(provider, ""),
        "",
        "topics:",
    ]
    out += [f"  - {topic}" for topic in rng.sample(TOPICS, rng.randrange(1, 6))]
    out += ["", "images:"]
    for number in range(rng.choice([1, 1, 1, 2, 2, 3])):
        lines = _image(rng, provider, slug, local)
        caption = title if number == 0 else f"{title} ({number + 1})"
        lines.append(f'title: "{caption}"')
        out.append(f"  - {lines[0]}")
        out += [f"    {line}" for line in lines[1:]]
    out += ["", "related:"]
    for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
        other = rng.choice(PROVIDERS)
        rtitle, rexcerpt = _headline(rng, other[3], False)
        rstamp, _, rlocal = _date(rng, around=stamp)
        rslug = f"{_slug(rtitle, rng)}-{index}-{rng.randrange(1000)}"
        out.append(f'  - title: "{rtitle}"')
        item = [f'excerpt: "{rexcerpt}"', f"publishedDateTime: {rstamp}"]
        item += _urls(rng, other, rslug, rlocal)
        item += [f"type: {rng.choice(TYPES)}", "provider:"]
        item += _provider_lines(other, "")
        item.append(f"quality: {rng.randrange(0, 101)}")
        out += [f"    {line}" for line in item]
        if rng.random() < 0.8:
            out.append("    images:")
            lines = _image(rng, other, rslug, rlocal)
            out.append(f"      - {lines[0]}")
            out += [f"        {line}" for line in lines[1:]]
    secret = base64.b64encode(rng.randbytes(rng.randrange(120, 200))).decode("ascii")
    cut = rng.randrange(20, len(secret) - 20)
    out += ["", f'secured: "{secret[:cut]};{secret[cut:]}"', "---"]
    body = " ".join(rng.sample(BODY_SENTENCES, rng.randrange(1, 4)))
    out += [f"{title}.", "", body, ""]
    return "\n".join(out)


def generate(out_dir: str | os.PathLike[str], count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` articles into ``out_dir`` (created if needed); return their paths.

    Each file's modification time is set 60 s into the past once all are written.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(count - 1)))
    paths = []
    for index in range(count):
        path = folder / f"{index:0{width}d}.md"
        path.write_bytes(article(index, seed).encode("utf-8"))
        paths.append(path)
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate seed-shaped news articles (NNNNNN.md) for benchmarks."
    )
    parser.add_argument("out_dir", help="folder to write the articles into (created if needed)")
    parser.add_argument("--count", type=int, default=1000, help="number of articles (1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = generate(args.out_dir, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"{len(paths)} articles, {size / 1e6:.1f} MB, in {args.out_dir} "
        f"({time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
