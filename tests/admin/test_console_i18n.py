"""Five languages: complete catalogs, the console in the reader's language, emails in the recipient's."""

from __future__ import annotations

import re

import pytest
from babel.messages.mofile import write_mo

from server.db import db
from server.i18n import LANGUAGES, compile_catalogs
from server.i18n_catalogs import extract, missing, read
from server.models import Outbox, User
from tests.conftest import make_user

# A few words per language that only a translated page shows (checked on the pages below).
EXPECTED = {
    "ru": {
        "/admin/": ["Обзор", "Воронка вовлечения", "Выйти"],
        "/admin/audit": ["Журнал"],
        "/admin/snippets": ["Новая публикация"],
        "/admin/people": ["Пригласить человека"],
        "/admin/settings": ["Часовой пояс компании", "Понедельник"],
        "/admin/guidelines": ["Новое правило", "Будьте вежливы."],
        "/admin/queue": ["Исходящие сообщения"],
        "/admin/health": ["Работа сайтов"],
    },
    "el": {
        "/admin/": ["Πίνακας ελέγχου", "Χωνί υιοθέτησης", "Αποσύνδεση"],
        "/admin/audit": ["Αρχείο ελέγχου"],
        "/admin/snippets": ["Νέα ανάρτηση"],
        "/admin/people": ["Πρόσκληση ατόμου"],
        "/admin/settings": ["Ζώνη ώρας εταιρείας", "Δευτέρα"],
        "/admin/guidelines": ["Νέος κανόνας", "Διατηρήστε έναν τόνο με σεβασμό."],
        "/admin/queue": ["Εξερχόμενα μηνύματα"],
        "/admin/health": ["Υγεία ιστότοπων"],
    },
    "it": {
        "/admin/": ["Panoramica", "Imbuto di adozione", "Esci"],
        "/admin/audit": ["Registro modifiche"],
        "/admin/snippets": ["Nuovo post"],
        "/admin/people": ["Invita qualcuno"],
        "/admin/settings": ["Fuso orario aziendale", "Lunedì"],
        "/admin/guidelines": ["Nuova regola", "Mantieni un tono rispettoso."],
        "/admin/queue": ["Messaggi in uscita"],
        "/admin/health": ["Stato dei siti"],
    },
    "th": {
        "/admin/": ["แดชบอร์ด", "ลำดับการเข้าร่วม", "ออกจากระบบ"],
        "/admin/audit": ["บันทึกการตรวจสอบ"],
        "/admin/snippets": ["โพสต์ใหม่"],
        "/admin/people": ["เชิญผู้ใช้"],
        "/admin/settings": ["เขตเวลาของบริษัท", "วันจันทร์"],
        "/admin/guidelines": ["กฎใหม่", "ใช้ถ้อยคำที่สุภาพและให้เกียรติผู้อื่น"],
        "/admin/queue": ["ข้อความขาออก"],
        "/admin/health": ["สถานะเว็บไซต์"],
    },
}


# The proposals queue (a pending proposal shows the decision forms) and a team's chat page, per language.
EXTRA = {
    "ru": {
        "proposals": ["Предложения", "Принять как черновик"],
        "chat": ["Чат команды", "Не подключено."],
    },
    "el": {
        "proposals": ["Προτάσεις", "Αποδοχή ως πρόχειρο"],
        "chat": ["Συνομιλία για", "Δεν είναι συνδεδεμένο."],
    },
    "it": {"proposals": ["Proposte", "Accetta come bozza"], "chat": ["Chat per", "Non collegato."]},
    "th": {"proposals": ["ข้อเสนอ", "รับเป็นฉบับร่าง"], "chat": ["แชทของทีม", "ยังไม่ได้เชื่อมต่อ"]},
}


@pytest.fixture(scope="module")
def template():
    return extract()


def test_every_used_message_is_translated_in_every_language(template):
    """A string wrapped in a template or in Python with no ru/el/it/th translation fails here
    (run `herald i18n update`, translate the empty msgstr lines, commit the .po files)."""
    ids = [m.id for m in template if m.id]
    assert len(ids) > 100  # the extraction really read the templates
    assert "Sign out everywhere" in ids
    gaps = {lang: ids for lang, ids in missing(template).items() if ids}
    assert gaps == {}


def test_catalogs_compile_and_keep_placeholders_and_plural_forms(template, tmp_path):
    for lang in LANGUAGES:
        catalog = read(lang)
        with (tmp_path / f"{lang}.mo").open("wb") as f:
            write_mo(f, catalog)  # raises on a catalog that does not compile
        assert catalog.num_plurals == {"ru": 3, "th": 1}.get(lang, 2)
        for message in catalog:
            if not message.id or lang == "en":
                continue
            source = message.id if isinstance(message.id, str) else message.id[-1]
            wanted = set(re.findall(r"%\(\w+\)[sd]", source))
            strings = [message.string] if isinstance(message.string, str) else message.string
            assert len(strings) == (1 if isinstance(message.id, str) else catalog.num_plurals)
            for text in strings:
                # Every named placeholder survives translation ("%(num)d" may be left out in one-form
                # plurals only when the number is said otherwise; none of ours does that).
                assert set(re.findall(r"%\(\w+\)[sd]", text)) == wanted, (lang, source, text)
    assert compile_catalogs(force=True)


def _msgids_for_non_english_check(template) -> list[str]:
    """English msgids long enough not to be loanwords (e.g. "Email", "Console" stay the same)."""
    out = []
    for m in template:
        if not m.id:
            continue
        text = m.id if isinstance(m.id, str) else m.id[0]
        plain = re.sub(r"<[^>]+>|%\(\w+\)[sd]", "", text).strip()
        first = plain.split(".")[0][:40]
        if len(plain.split()) >= 4 and len(first) >= 8:  # not "e" of "e.g. ..."
            out.append(first)
    return out


@pytest.mark.parametrize("lang", ["ru", "el", "it", "th"])
def test_console_pages_render_in_the_chosen_language_with_no_english_left(
    admin_console, template, lang
):
    from server.models import Proposal, Team
    from server.policy_store import load_starter_policy

    with db.connection_context():
        load_starter_policy()  # the guidelines page shows the rules in the reader's language
        User.update(language=lang).where(User.email == "ada@acme.test").execute()
        team, _ = Team.get_or_create(name="Sales")
        proposer = User.get(User.email == "ada@acme.test")
        Proposal.get_or_create(user=proposer, url="https://example.com/launch", title="Launch")
    english = _msgids_for_non_english_check(template)
    pages = dict(EXPECTED[lang])
    pages["/admin/proposals"] = EXTRA[lang]["proposals"]
    pages[f"/admin/teams/{team.id}/chat"] = EXTRA[lang]["chat"]
    for path, words in pages.items():
        html = admin_console.page(path)
        assert f'<html lang="{lang}">' in html
        for word in words:
            assert word in html, (lang, path, word)
        leaked = [e for e in english if e in html]
        assert leaked == [], (lang, path, leaked)


def test_accept_language_decides_until_someone_chooses(console, admin):
    page = console.client.get(
        "/admin/sign-in", headers={"Accept-Language": "el-GR,el;q=0.9,en;q=0.5"}
    )
    assert "Σύνδεση στην κονσόλα" in page.get_data(as_text=True)
    page = console.client.get("/admin/sign-in", headers={"Accept-Language": "pt-BR"})
    assert "Sign in to the console" in page.get_data(as_text=True)
    # The switcher before signing in: the session remembers it over the browser's language.
    resp = console.post(
        "/admin/language",
        {"language": "th", "next": "/admin/sign-in"},
        headers={"Accept-Language": "el"},
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/admin/sign-in")
    page = console.client.get("/admin/sign-in", headers={"Accept-Language": "el"})
    assert "เข้าสู่ระบบคอนโซล" in page.get_data(as_text=True)


def test_the_switcher_saves_the_admins_language_on_the_account(admin_console):
    page = admin_console.page("/admin/")
    assert 'name="language"' in page and "Русский" in page and "ไทย" in page
    resp = admin_console.post("/admin/language", {"language": "ru", "next": "/admin/audit"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/admin/audit")
    with db.connection_context():
        assert User.get(User.email == "ada@acme.test").language == "ru"
    assert "Журнал" in admin_console.page("/admin/audit")
    with admin_console.client.session_transaction() as session:
        session.pop(
            "lang"
        )  # another browser: no choice in its session, the account's language holds
    assert "Журнал" in admin_console.page("/admin/audit")
    assert admin_console.post("/admin/language", {"language": "de"}).status_code == 400
    resp = admin_console.post("/admin/language", {"language": "it", "next": "https://evil.test/"})
    assert resp.headers["Location"].endswith("/admin/")


def test_dates_and_numbers_follow_the_language_and_the_company_time_zone(admin_console):
    from server.settings import set_setting

    with db.connection_context():
        set_setting("timezone", "Asia/Bangkok")
        User.update(language="ru").where(User.email == "ada@acme.test").execute()
        from server.audit import record

        record(User.get(User.email == "ada@acme.test"), "settings.update", "settings", None, {}, {})
    html = admin_console.page("/admin/audit")
    # Russian month abbreviations and the Bangkok clock, not "2026-12-03 16:00 UTC".
    assert re.search(r'<time datetime="[^"]+">\d{1,2} [а-я]{3}\.? \d{4}', html), html
    assert " UTC</time>" not in html


def test_an_email_goes_out_in_its_recipients_language(app):
    from server.mail_messages import compose

    make_user("eleni@acme.test", name="Ελένη", language="el")
    make_user("somchai@acme.test", name="สมชาย", language="th")
    expected = {
        "eleni@acme.test": ("Καλώς ήρθατε στο Herald", "Καλώς ήρθατε, Ελένη!"),
        "somchai@acme.test": ("ยินดีต้อนรับสู่ Herald", "ยินดีต้อนรับคุณสมชาย!"),
    }
    # Sent while an Italian-speaking admin's request is being served: the recipient's language wins.
    with app.test_request_context("/", headers={"Accept-Language": "it"}), db.connection_context():
        for email, (subject, greeting) in expected.items():
            user = User.get(User.email == email)
            row = Outbox.create(
                key=f"welcome:{user.id}", kind="welcome", recipient=email, user=user.id, payload={}
            )
            mail = compose(row)
            assert mail.subject == subject
            assert greeting in mail.text and greeting in mail.html
            assert "Your Herald account is ready" not in mail.text
            assert f'<html lang="{user.language}">' in mail.html
