"""Demo data for "Acme Voices": people, teams, campaigns, snippets in five languages, a few weeks of
shares and clicks. Idempotent: every object has a natural key and is only created when missing, so
running `herald demo` twice changes nothing the second time.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from server.db import db
from server.models import (
    Campaign,
    Click,
    Membership,
    Share,
    Snippet,
    SnippetTeam,
    SnippetVariant,
    Team,
    TrackedLink,
    User,
    utcnow,
)
from server.passwords import hash_password
from server.settings import set_setting
from server.tracked_links import new_code

DEMO_PASSWORD = "herald-demo"
PROGRAM_NAME = "Acme Voices"
TEAMS = ("Engineering", "Sales", "People")
CAMPAIGNS = (("Acme Cloud launch", "AcmeCloud"), ("Life at Acme", "LifeAtAcme"))

# email, name, role, teams, language
PEOPLE = (
    ("admin@acme.test", "Alex Admin", "admin", ("People",), "en"),
    ("eve@acme.test", "Eve Engineer", "employee", ("Engineering",), "en"),
    ("sam@acme.test", "Sam Seller", "employee", ("Sales",), "en"),
    ("pat@acme.test", "Pat People", "employee", ("People",), "en"),
    ("dmitri@acme.test", "Dmitri Volkov", "employee", ("Engineering",), "ru"),
    ("eleni@acme.test", "Eleni Papadopoulou", "employee", ("Sales",), "el"),
    ("giulia@acme.test", "Giulia Rossi", "employee", ("People", "Sales"), "it"),
    ("somchai@acme.test", "Somchai Srisuk", "employee", ("Engineering",), "th"),
)
INVITED = (
    ("nora@acme.test", "Nora Newcomer", ("Sales",)),
    ("ivan@acme.test", "Ivan Petrov", ("Engineering",)),
    ("marco@acme.test", "Marco Bianchi", ()),
)

CLOUD = "https://acme.example/cloud"
BLOG = "https://acme.example/blog"
JOBS = "https://acme.example/careers"

# title, language, {network: [texts]}, link, hashtags, campaign index, target teams, featured
SNIPPETS: tuple[tuple, ...] = (
    # --- English
    (
        "Acme Cloud is live",
        "en",
        {
            "linkedin": [
                "Today we launched Acme Cloud: everything our customers loved about Acme, now running "
                f"wherever their teams are. I'm proud of what we built together. Take a look: {CLOUD}",
                "After two years of work, Acme Cloud is out. Faster setup, simpler pricing, and the "
                "same support people you already know. Curious what you think!",
            ],
            "x": [f"Acme Cloud is live! Everything you love about Acme, now in the cloud. {CLOUD}"],
        },
        CLOUD,
        ["AcmeCloud", "launch"],
        0,
        (),
        True,
    ),
    (
        "We're hiring engineers",
        "en",
        {
            "linkedin": [
                "My team at Acme is hiring backend and frontend engineers. We ship small changes "
                "often, review each other's code kindly, and go home on time. Have a look at the "
                "open roles or send me a message."
            ],
            "x": [
                "My team at Acme is hiring engineers. Kind code reviews, small releases, sane hours."
            ],
        },
        JOBS,
        ["hiring", "engineering"],
        1,
        ("Engineering",),
        False,
    ),
    (
        "Customer story: Northwind",
        "en",
        {
            "linkedin": [
                "Northwind cut their month-end reporting from five days to one after moving to Acme. "
                "Their finance team wrote up how they did it - a good read if you're planning a similar move."
            ],
            "x": ["Northwind went from five days of month-end reporting to one with Acme."],
        },
        f"{BLOG}/northwind",
        ["customers"],
        None,
        ("Sales",),
        False,
    ),
    (
        "Volunteering day",
        "en",
        {
            "linkedin": [
                "Last Friday more than 200 of us spent the day volunteering with local food banks "
                "and schools. One of my favourite Acme traditions."
            ],
            "x": [
                "200+ Acme people spent Friday volunteering at food banks and schools. Proud day."
            ],
        },
        None,
        ["community"],
        1,
        (),
        False,
    ),
    (
        "Security whitepaper",
        "en",
        {
            "linkedin": [
                "How do we keep customer data safe in Acme Cloud? Our security team published a plain-"
                f"language whitepaper on encryption, access reviews and incident response: {BLOG}/security"
            ],
            "x": [f"How Acme Cloud keeps your data safe, in plain language: {BLOG}/security"],
        },
        f"{BLOG}/security",
        ["security", "AcmeCloud"],
        0,
        ("Engineering", "Sales"),
        False,
    ),
    (
        "Parental leave policy",
        "en",
        {
            "linkedin": [
                "Acme now offers 20 weeks of paid parental leave to every parent, whatever their "
                "role or location. I'm glad to work somewhere that takes this seriously."
            ],
            "x": ["Acme now gives every parent 20 weeks of paid leave. Glad to work here."],
        },
        None,
        ["LifeAtAcme"],
        1,
        ("People",),
        False,
    ),
    # --- Russian
    (
        "Acme Cloud запущен",
        "ru",
        {
            "linkedin": [
                "Сегодня мы запустили Acme Cloud: всё, за что клиенты ценят Acme, теперь доступно "
                "из любой точки мира. Горжусь тем, что мы сделали вместе с командой. Подробнее: "
                f"{CLOUD}"
            ],
            "x": [f"Acme Cloud запущен! Всё лучшее из Acme — теперь в облаке. {CLOUD}"],
        },
        CLOUD,
        ["AcmeCloud"],
        0,
        (),
        True,
    ),
    (
        "Мы ищем инженеров",
        "ru",
        {
            "linkedin": [
                "Моя команда в Acme ищет backend- и frontend-инженеров. У нас небольшие частые "
                "релизы, доброжелательное код-ревью и рабочий день, который заканчивается вовремя. "
                "Пишите мне, если интересно."
            ],
            "x": [
                "Команда Acme ищет инженеров: частые релизы, доброжелательное код-ревью, нормальный график."
            ],
        },
        JOBS,
        ["вакансии"],
        1,
        ("Engineering",),
        False,
    ),
    (
        "Открытие офиса",
        "ru",
        {
            "linkedin": [
                "Мы открыли новый офис Acme: светлые переговорные, тихие зоны для работы и очень "
                "хороший кофе. Заходите в гости!"
            ],
            "x": ["Новый офис Acme открыт: тихие зоны, светлые переговорные и отличный кофе."],
        },
        None,
        ["LifeAtAcme"],
        1,
        (),
        False,
    ),
    (
        "История клиента",
        "ru",
        {
            "linkedin": [
                "Компания Northwind сократила закрытие месяца с пяти дней до одного после перехода "
                "на Acme. Их финансовая команда подробно рассказала, как это получилось."
            ],
            "x": ["Northwind закрывает месяц за один день вместо пяти — благодаря Acme."],
        },
        f"{BLOG}/northwind",
        ["клиенты"],
        None,
        ("Sales",),
        False,
    ),
    (
        "День волонтёра",
        "ru",
        {
            "linkedin": [
                "В прошлую пятницу больше двухсот сотрудников Acme помогали продовольственным "
                "банкам и школам. Одна из моих любимых традиций в компании."
            ],
            "x": ["Больше 200 сотрудников Acme провели пятницу волонтёрами. Отличный день."],
        },
        None,
        ["волонтёрство"],
        1,
        (),
        False,
    ),
    # --- Greek
    (
        "Το Acme Cloud είναι εδώ",
        "el",
        {
            "linkedin": [
                "Σήμερα παρουσιάσαμε το Acme Cloud: ό,τι αγαπούν οι πελάτες μας στην Acme, τώρα "
                f"διαθέσιμο από παντού. Είμαι περήφανος για τη δουλειά της ομάδας. Δείτε το: {CLOUD}"
            ],
            "x": [f"Το Acme Cloud κυκλοφόρησε! Ό,τι αγαπάτε στην Acme, τώρα στο cloud. {CLOUD}"],
        },
        CLOUD,
        ["AcmeCloud"],
        0,
        (),
        True,
    ),
    (
        "Ζητάμε μηχανικούς",
        "el",
        {
            "linkedin": [
                "Η ομάδα μου στην Acme αναζητά μηχανικούς λογισμικού. Μικρές και συχνές εκδόσεις, "
                "ευγενικά code reviews και ωράριο που σέβεται την προσωπική ζωή. Στείλτε μου μήνυμα!"
            ],
            "x": [
                "Η Acme προσλαμβάνει μηχανικούς: συχνές εκδόσεις, ευγενικά reviews, λογικό ωράριο."
            ],
        },
        JOBS,
        ["προσλήψεις"],
        1,
        ("Engineering",),
        False,
    ),
    (
        "Νέο γραφείο στην Αθήνα",
        "el",
        {
            "linkedin": [
                "Η Acme άνοιξε νέο γραφείο στην Αθήνα, λίγα λεπτά από το μετρό. Ελάτε να γνωριστούμε "
                "από κοντά - ο καφές κερνάει!"
            ],
            "x": ["Νέο γραφείο της Acme στην Αθήνα, δίπλα στο μετρό. Περάστε για καφέ!"],
        },
        None,
        ["Αθήνα", "LifeAtAcme"],
        1,
        (),
        True,
    ),
    (
        "Ιστορία πελάτη",
        "el",
        {
            "linkedin": [
                "Η Northwind μείωσε το κλείσιμο του μήνα από πέντε ημέρες σε μία με την Acme. Η "
                "οικονομική τους ομάδα εξηγεί βήμα βήμα πώς τα κατάφερε."
            ],
            "x": ["Η Northwind κλείνει τον μήνα σε μία μέρα αντί για πέντε, με την Acme."],
        },
        f"{BLOG}/northwind",
        ["πελάτες"],
        None,
        ("Sales",),
        False,
    ),
    (
        "Άδεια γονέων",
        "el",
        {
            "linkedin": [
                "Η Acme δίνει πλέον 20 εβδομάδες άδειας μετ' αποδοχών σε κάθε γονέα, όποιος κι αν "
                "είναι ο ρόλος του. Χαίρομαι που δουλεύω σε μια τέτοια εταιρεία."
            ],
            "x": ["20 εβδομάδες άδεια μετ' αποδοχών για κάθε γονέα στην Acme. Μπράβο μας!"],
        },
        None,
        ["LifeAtAcme"],
        1,
        ("People",),
        False,
    ),
    # --- Italian
    (
        "Acme Cloud è online",
        "it",
        {
            "linkedin": [
                "Oggi abbiamo lanciato Acme Cloud: tutto ciò che i nostri clienti apprezzano di Acme, "
                f"ora disponibile ovunque. Sono orgoglioso del lavoro di squadra. Scopritelo qui: {CLOUD}"
            ],
            "x": [f"Acme Cloud è online! Tutto il meglio di Acme, ora nel cloud. {CLOUD}"],
        },
        CLOUD,
        ["AcmeCloud"],
        0,
        (),
        False,
    ),
    (
        "Cerchiamo ingegneri",
        "it",
        {
            "linkedin": [
                "Il mio team in Acme cerca ingegneri backend e frontend. Rilasci piccoli e frequenti, "
                "revisioni del codice gentili e orari sostenibili. Scrivetemi se vi interessa!"
            ],
            "x": [
                "Acme cerca ingegneri: rilasci frequenti, code review gentili, orari sostenibili."
            ],
        },
        JOBS,
        ["lavoro"],
        1,
        ("Engineering",),
        False,
    ),
    (
        "Nuovo ufficio a Milano",
        "it",
        {
            "linkedin": [
                "Acme ha aperto un nuovo ufficio a Milano, a due passi dalla stazione Centrale. "
                "Spazi luminosi, sale silenziose e un ottimo caffè: passate a trovarci!"
            ],
            "x": ["Nuovo ufficio Acme a Milano, vicino a Centrale. Passate per un caffè!"],
        },
        None,
        ["Milano", "LifeAtAcme"],
        1,
        (),
        True,
    ),
    (
        "La storia di Northwind",
        "it",
        {
            "linkedin": [
                "Con Acme, Northwind ha ridotto la chiusura mensile da cinque giorni a uno. Il loro "
                "team finanziario racconta come ci sono riusciti."
            ],
            "x": ["Northwind chiude il mese in un giorno invece di cinque, grazie ad Acme."],
        },
        f"{BLOG}/northwind",
        ["clienti"],
        None,
        ("Sales",),
        False,
    ),
    (
        "Giornata di volontariato",
        "it",
        {
            "linkedin": [
                "Venerdì scorso oltre 200 colleghi di Acme hanno fatto volontariato nei banchi "
                "alimentari e nelle scuole. Una delle tradizioni che amo di più."
            ],
            "x": ["Oltre 200 persone di Acme hanno passato il venerdì a fare volontariato."],
        },
        None,
        ["volontariato"],
        1,
        ("People",),
        False,
    ),
    # --- Thai
    (
        "เปิดตัว Acme Cloud",
        "th",
        {
            "linkedin": [
                "วันนี้เราเปิดตัว Acme Cloud แล้ว ทุกอย่างที่ลูกค้าชื่นชอบใน Acme ตอนนี้ใช้งานได้จากทุกที่ "
                f"ภูมิใจกับผลงานของทีมมากครับ ดูรายละเอียดได้ที่ {CLOUD}"
            ],
            "x": [f"Acme Cloud เปิดตัวแล้ว! ทุกอย่างที่คุณชอบใน Acme ตอนนี้อยู่บนคลาวด์ {CLOUD}"],
        },
        CLOUD,
        ["AcmeCloud"],
        0,
        (),
        False,
    ),
    (
        "รับสมัครวิศวกร",
        "th",
        {
            "linkedin": [
                "ทีมของผมที่ Acme กำลังรับสมัครวิศวกรซอฟต์แวร์ เราออกเวอร์ชันเล็กๆ บ่อยๆ "
                "รีวิวโค้ดกันอย่างเป็นมิตร และเลิกงานตรงเวลา สนใจทักมาคุยกันได้เลยครับ"
            ],
            "x": ["Acme รับสมัครวิศวกร: ออกเวอร์ชันบ่อย รีวิวโค้ดอย่างเป็นมิตร เลิกงานตรงเวลา"],
        },
        JOBS,
        ["รับสมัครงาน"],
        1,
        ("Engineering",),
        False,
    ),
    (
        "ออฟฟิศใหม่ที่กรุงเทพฯ",
        "th",
        {
            "linkedin": [
                "Acme เปิดออฟฟิศใหม่ที่กรุงเทพฯ ใกล้สถานีรถไฟฟ้า มีห้องประชุมสว่างๆ "
                "มุมทำงานเงียบๆ และกาแฟอร่อย แวะมาเยี่ยมกันได้นะครับ"
            ],
            "x": ["ออฟฟิศใหม่ของ Acme ที่กรุงเทพฯ ใกล้รถไฟฟ้า แวะมาดื่มกาแฟกันได้"],
        },
        None,
        ["กรุงเทพ", "LifeAtAcme"],
        1,
        (),
        True,
    ),
    (
        "เรื่องราวลูกค้า Northwind",
        "th",
        {
            "linkedin": [
                "Northwind ลดเวลาปิดบัญชีสิ้นเดือนจากห้าวันเหลือเพียงวันเดียวหลังจากเปลี่ยนมาใช้ Acme "
                "ทีมการเงินของพวกเขาเล่าวิธีการไว้อย่างละเอียด"
            ],
            "x": ["Northwind ปิดบัญชีสิ้นเดือนได้ในวันเดียวแทนห้าวัน ด้วย Acme"],
        },
        f"{BLOG}/northwind",
        ["ลูกค้า"],
        None,
        ("Sales",),
        False,
    ),
    (
        "วันจิตอาสา",
        "th",
        {
            "linkedin": [
                "ศุกร์ที่แล้วพนักงาน Acme กว่า 200 คนร่วมกันเป็นจิตอาสาที่ธนาคารอาหารและโรงเรียน "
                "เป็นหนึ่งในประเพณีที่ผมชอบที่สุดของบริษัท"
            ],
            "x": ["พนักงาน Acme กว่า 200 คนร่วมเป็นจิตอาสาเมื่อวันศุกร์ ภูมิใจมาก"],
        },
        None,
        ["จิตอาสา"],
        1,
        (),
        False,
    ),
)

DRAFT_TITLE = "Q3 results (draft, not approved yet)"
# Every demo post mentions Acme, and the starter policy (like the FTC's endorsement rules) wants
# employees to disclose that they work there: the suggestions show how it is done.
DISCLOSURE = "#AcmeEmployee"


def with_disclosure(text: str) -> str:
    """The post as an employee should share it: ending with the disclosure hashtag."""
    return text if DISCLOSURE in text else f"{text} {DISCLOSURE}"


REFERRERS = ("www.linkedin.com", "lnkd.in", "t.co", "x.com", None)
BROWSERS = ("chrome", "chrome", "safari", "firefox", "edge", "bot")


def load_demo() -> list[str]:
    """Create what is missing and return the lines `herald demo` prints."""
    rng = random.Random(20261122)
    now = utcnow()
    with db.atomic():
        set_setting("program_name", PROGRAM_NAME)
        set_setting("program_tagline", "Share what we build at Acme, in your own words.")
        teams = {name: Team.get_or_create(name=name)[0] for name in TEAMS}
        campaigns = [
            Campaign.get_or_create(name=name, defaults={"hashtag": tag})[0]
            for name, tag in CAMPAIGNS
        ]
        password_hash = None
        people: dict[str, User] = {}
        for email, name, role, team_names, language in PEOPLE:
            followers = rng.randint(150, 2500)  # drawn every run: later draws must not shift
            user = User.get_or_none(User.email == email)
            if user is None:
                password_hash = password_hash or hash_password(DEMO_PASSWORD)
                user = User.create(
                    email=email,
                    name=name,
                    role=role,
                    status="active",
                    password_hash=password_hash,
                    language=language,
                    leaderboard_opt_in=True,
                    joined_at=now - timedelta(days=40),
                    follower_count=followers,
                )
            for team_name in team_names:
                Membership.get_or_create(user=user, team=teams[team_name])
            people[email] = user
        for email, name, team_names in INVITED:
            user = User.get_or_none(User.email == email)
            if user is None:
                user = User.create(
                    email=email, name=name, status="invited", invited_at=now - timedelta(days=3)
                )
            for team_name in team_names:
                Membership.get_or_create(user=user, team=teams[team_name])

        admin = people["admin@acme.test"]
        snippets = []
        for age, spec in enumerate(SNIPPETS):
            title, language, variants, link, hashtags, campaign, targets, featured = spec
            approved_at = now - timedelta(days=27 - age, hours=rng.randint(0, 8))
            snippets.append(
                _snippet(
                    admin,
                    title=title,
                    language=language,
                    variants={
                        network: [with_disclosure(text) for text in texts]
                        for network, texts in variants.items()
                    },
                    link=link,
                    hashtags=hashtags,
                    campaign=campaigns[campaign] if campaign is not None else None,
                    teams=[teams[t] for t in targets],
                    featured=featured,
                    status="approved",
                    approved_at=approved_at,
                )
            )
        _snippet(
            admin,
            title=DRAFT_TITLE,
            language="en",
            variants={"linkedin": ["Our Q3 numbers are in - more soon."]},
            link=None,
            hashtags=[],
            campaign=None,
            teams=[],
            featured=False,
            status="draft",
            approved_at=None,
        )
        shares, clicks = _activity(random.Random(7), now, list(people.values()), snippets)

    approved = Snippet.select().where(Snippet.status == "approved").count()
    return [
        f"{PROGRAM_NAME}: demo data ready ({approved} approved snippets; "
        f"{shares} new shares and {clicks} new clicks this run).",
        "",
        f"Demo password for every account below: {DEMO_PASSWORD}",
        "  admin     admin@acme.test",
        "  employees eve@acme.test (Engineering), sam@acme.test (Sales), pat@acme.test (People),",
        "            dmitri@acme.test (ru), eleni@acme.test (el), giulia@acme.test (it), "
        "somchai@acme.test (th)",
        "  invited, not joined yet: " + ", ".join(email for email, _, _ in INVITED),
        "",
        "Next steps:",
        "  1. Serve:    herald run            -> http://127.0.0.1:5000",
        "  2. Console:  http://127.0.0.1:5000/admin (sign in as admin@acme.test)",
        "  3. Extension: herald build-extension --out dist/chrome",
        "     then chromium -> chrome://extensions -> Developer mode -> Load unpacked -> dist/chrome,",
        "     and sign in from the extension's options with eve@acme.test and http://127.0.0.1:5000",
        "  4. Try it on the composer fixtures in tests/fixtures/sites/ (linkedin.html, x.html):",
        "     python -m http.server 8001 --bind 127.0.0.1 --directory tests/fixtures/sites",
        "     python -m http.server 8002 --bind 127.0.0.1 --directory tests/fixtures/sites",
        "     build the extension with --site-origin linkedin=http://127.0.0.1:8001 "
        "--site-origin x=http://localhost:8002,",
        "     then open http://127.0.0.1:8001/linkedin.html and http://localhost:8002/x.html",
        "  (scripts/demo.sh does all of this in one go.)",
    ]


def _snippet(
    admin: User,
    *,
    title,
    language,
    variants,
    link,
    hashtags,
    campaign,
    teams,
    featured,
    status,
    approved_at,
) -> Snippet:
    """Created once, found by title afterwards (and then left as the admin may have edited it)."""
    existing = Snippet.get_or_none(Snippet.title == title)
    if existing is not None:
        return existing
    created = (approved_at or utcnow()) - timedelta(hours=2)
    snippet = Snippet.create(
        title=title,
        link_url=link,
        hashtags=hashtags,
        campaign=campaign,
        targeted=bool(teams),
        status=status,
        featured=featured,
        source="manual",
        language=language,
        starts_at=approved_at or created,
        expires_at=(approved_at or created) + timedelta(days=180),
        created_by=admin,
        created_at=created,
        updated_at=approved_at or created,
        approved_by=admin if approved_at else None,
        approved_at=approved_at,
    )
    SnippetVariant.insert_many(
        [
            {"snippet": snippet.id, "network": network, "position": i, "text": text}
            for network, texts in variants.items()
            for i, text in enumerate(texts)
        ]
    ).execute()
    for team in teams:
        SnippetTeam.create(snippet=snippet, team=team)
    return snippet


def _activity(rng: random.Random, now, people: list[User], snippets: list[Snippet]):
    """Shares with fixed event ids (replays are ignored) and clicks on links created in this run."""
    shares = clicks = 0
    employees = [p for p in people if p.role == "employee"]
    targets = {s.id: {t.team_id for t in s.target_teams} for s in snippets}
    member_of = {p.id: {m.team_id for m in p.memberships} for p in employees}
    for snippet in snippets:
        for person in employees:
            aimed = targets[snippet.id]
            roll = rng.random()  # drawn for every pair, so the sequence never depends on the data
            event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            network = rng.choice(("linkedin", "x"))
            offset = timedelta(hours=rng.randint(1, 24 * 20))
            edited = rng.random() < 0.45
            distance = rng.randint(3, 60) if edited else 0
            visits = [
                (
                    timedelta(minutes=rng.randint(5, 60 * 72)),
                    rng.choice(REFERRERS),
                    rng.choice(BROWSERS),
                )
                for _ in range(rng.randint(0, 14))
            ]
            if roll > 0.5 or (aimed and not aimed & member_of[person.id]):
                continue
            shared_at = min(snippet.approved_at + offset, now - timedelta(minutes=5))
            shares += (
                Share.insert(
                    event_id=event_id,
                    user=person,
                    network=network,
                    snippet=snippet,
                    variant=0,
                    edited=edited,
                    edit_distance=distance,
                    findings=[],
                    shared_at=shared_at,
                )
                .on_conflict_ignore()
                .as_rowcount()
                .execute()
            )
            if not snippet.link_url:
                continue
            link, created = TrackedLink.get_or_create(
                user=person,
                snippet=snippet,
                defaults={"code": new_code(), "target_url": snippet.link_url},
            )
            if not created:
                continue
            if visits:
                Click.insert_many(
                    [
                        {
                            "link": link.id,
                            "at": min(shared_at + delay, now),
                            "referrer_host": referrer,
                            "ua_family": browser,
                            "bot": browser == "bot",
                        }
                        for delay, referrer, browser in visits
                    ]
                ).execute()
            clicks += len(visits)
    return shares, clicks
