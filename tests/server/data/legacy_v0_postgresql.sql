-- Herald legacy database (PostgreSQL), made by tests/server/data/make_legacy_dumps.py
-- with create_tables(safe=True) at commit cda21f89560501bf3836bfde889899d6ce542c41, before migrations existed.
--
-- PostgreSQL database dump
--

\restrict Yy8L5mbda5rSavRqpI7akFaUJ9jHvUbKh9SPAX82btzZqpham9KEArxStl3cLFI

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: auditentry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auditentry (
    id integer NOT NULL,
    actor_id integer,
    action character varying(255) NOT NULL,
    object_type character varying(255) NOT NULL,
    object_id character varying(255),
    before text,
    after text,
    at timestamp without time zone NOT NULL
);


--
-- Name: auditentry_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.auditentry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auditentry_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.auditentry_id_seq OWNED BY public.auditentry.id;


--
-- Name: campaign; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.campaign (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    hashtag character varying(255),
    starts_at timestamp without time zone,
    ends_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: campaign_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.campaign_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: campaign_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.campaign_id_seq OWNED BY public.campaign.id;


--
-- Name: click; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.click (
    id integer NOT NULL,
    link_id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    referrer_host character varying(255),
    ua_family character varying(255)
);


--
-- Name: click_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.click_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: click_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.click_id_seq OWNED BY public.click.id;


--
-- Name: guidelinerule; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.guidelinerule (
    id integer NOT NULL,
    rule_id character varying(255) NOT NULL,
    "position" integer NOT NULL,
    doc text NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by_id integer
);


--
-- Name: guidelinerule_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.guidelinerule_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: guidelinerule_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.guidelinerule_id_seq OWNED BY public.guidelinerule.id;


--
-- Name: invitation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invitation (
    id integer NOT NULL,
    user_id integer NOT NULL,
    nonce character varying(255) NOT NULL,
    invited_by_id integer,
    created_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL,
    accepted_at timestamp without time zone,
    reminders_sent integer NOT NULL,
    last_sent_at timestamp without time zone NOT NULL
);


--
-- Name: invitation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invitation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: invitation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.invitation_id_seq OWNED BY public.invitation.id;


--
-- Name: loginfailure; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loginfailure (
    id integer NOT NULL,
    key character varying(255) NOT NULL,
    at timestamp without time zone NOT NULL
);


--
-- Name: loginfailure_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loginfailure_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loginfailure_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loginfailure_id_seq OWNED BY public.loginfailure.id;


--
-- Name: membership; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.membership (
    user_id integer NOT NULL,
    team_id integer NOT NULL
);


--
-- Name: refreshtoken; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.refreshtoken (
    id integer NOT NULL,
    token_hash character varying(255) NOT NULL,
    family character varying(255) NOT NULL,
    user_id integer NOT NULL,
    issued_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL,
    rotated_at timestamp without time zone,
    revoked_at timestamp without time zone
);


--
-- Name: refreshtoken_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.refreshtoken_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: refreshtoken_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.refreshtoken_id_seq OWNED BY public.refreshtoken.id;


--
-- Name: setting; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.setting (
    key character varying(255) NOT NULL,
    value text NOT NULL
);


--
-- Name: share; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.share (
    id integer NOT NULL,
    event_id character varying(255) NOT NULL,
    user_id integer NOT NULL,
    network character varying(255) NOT NULL,
    snippet_id integer,
    variant integer,
    edited boolean NOT NULL,
    edit_distance integer NOT NULL,
    findings text NOT NULL,
    shared_at timestamp without time zone NOT NULL,
    received_at timestamp without time zone NOT NULL
);


--
-- Name: share_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.share_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: share_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.share_id_seq OWNED BY public.share.id;


--
-- Name: snippet; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.snippet (
    id integer NOT NULL,
    title character varying(255) NOT NULL,
    link_url text,
    hashtags text NOT NULL,
    campaign_id integer,
    targeted boolean NOT NULL,
    status character varying(255) NOT NULL,
    featured boolean NOT NULL,
    source character varying(255) NOT NULL,
    language character varying(255) NOT NULL,
    starts_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL,
    created_by_id integer,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    approved_by_id integer,
    approved_at timestamp without time zone,
    archived_by_id integer,
    archived_at timestamp without time zone
);


--
-- Name: snippet_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.snippet_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: snippet_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.snippet_id_seq OWNED BY public.snippet.id;


--
-- Name: snippetteam; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.snippetteam (
    snippet_id integer NOT NULL,
    team_id integer NOT NULL
);


--
-- Name: snippetvariant; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.snippetvariant (
    id integer NOT NULL,
    snippet_id integer NOT NULL,
    network character varying(255) NOT NULL,
    "position" integer NOT NULL,
    text text NOT NULL
);


--
-- Name: snippetvariant_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.snippetvariant_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: snippetvariant_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.snippetvariant_id_seq OWNED BY public.snippetvariant.id;


--
-- Name: team; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: team_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.team_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: team_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.team_id_seq OWNED BY public.team.id;


--
-- Name: trackedlink; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trackedlink (
    id integer NOT NULL,
    code character varying(255) NOT NULL,
    user_id integer NOT NULL,
    snippet_id integer NOT NULL,
    target_url text NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: trackedlink_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.trackedlink_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: trackedlink_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.trackedlink_id_seq OWNED BY public.trackedlink.id;


--
-- Name: user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."user" (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    password_hash character varying(255),
    role character varying(255) NOT NULL,
    status character varying(255) NOT NULL,
    language character varying(255) NOT NULL,
    leaderboard_opt_in boolean NOT NULL,
    digest_opt_in boolean NOT NULL,
    follower_count integer,
    created_at timestamp without time zone NOT NULL,
    invited_at timestamp without time zone,
    joined_at timestamp without time zone,
    last_login_at timestamp without time zone,
    tokens_valid_after timestamp without time zone
);


--
-- Name: user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.user_id_seq OWNED BY public."user".id;


--
-- Name: auditentry id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auditentry ALTER COLUMN id SET DEFAULT nextval('public.auditentry_id_seq'::regclass);


--
-- Name: campaign id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign ALTER COLUMN id SET DEFAULT nextval('public.campaign_id_seq'::regclass);


--
-- Name: click id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.click ALTER COLUMN id SET DEFAULT nextval('public.click_id_seq'::regclass);


--
-- Name: guidelinerule id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.guidelinerule ALTER COLUMN id SET DEFAULT nextval('public.guidelinerule_id_seq'::regclass);


--
-- Name: invitation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation ALTER COLUMN id SET DEFAULT nextval('public.invitation_id_seq'::regclass);


--
-- Name: loginfailure id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loginfailure ALTER COLUMN id SET DEFAULT nextval('public.loginfailure_id_seq'::regclass);


--
-- Name: refreshtoken id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refreshtoken ALTER COLUMN id SET DEFAULT nextval('public.refreshtoken_id_seq'::regclass);


--
-- Name: share id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share ALTER COLUMN id SET DEFAULT nextval('public.share_id_seq'::regclass);


--
-- Name: snippet id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippet ALTER COLUMN id SET DEFAULT nextval('public.snippet_id_seq'::regclass);


--
-- Name: snippetvariant id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippetvariant ALTER COLUMN id SET DEFAULT nextval('public.snippetvariant_id_seq'::regclass);


--
-- Name: team id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team ALTER COLUMN id SET DEFAULT nextval('public.team_id_seq'::regclass);


--
-- Name: trackedlink id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trackedlink ALTER COLUMN id SET DEFAULT nextval('public.trackedlink_id_seq'::regclass);


--
-- Name: user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."user" ALTER COLUMN id SET DEFAULT nextval('public.user_id_seq'::regclass);


--
-- Data for Name: auditentry; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.auditentry (id, actor_id, action, object_type, object_id, before, after, at) FROM stdin;
1	1	snippet.approve	snippet	1	{"status": "draft"}	{"status": "approved"}	2026-01-15 09:30:00
2	\N	user.invite	user	\N	\N	{"email": "new@example.com"}	2026-01-15 09:30:00
\.


--
-- Data for Name: campaign; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.campaign (id, name, hashtag, starts_at, ends_at, created_at) FROM stdin;
1	Launch 🚀	#launch	2026-01-15 09:30:00	2026-02-14 09:30:00	2026-01-15 09:30:00
2	Καμπάνια χωρίς ημερομηνίες	\N	\N	\N	2026-01-15 09:30:00
\.


--
-- Data for Name: click; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.click (id, link_id, at, referrer_host, ua_family) FROM stdin;
1	1	2026-01-15 09:30:00	www.linkedin.com	Chrome
2	1	2026-01-15 09:35:00	\N	\N
\.


--
-- Data for Name: guidelinerule; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.guidelinerule (id, rule_id, "position", doc, created_at, updated_at, updated_by_id) FROM stdin;
1	legacy-banned-word	0	{"id": "legacy-banned-word", "message": "Μην υπόσχεστε 🙅", "type": "banned_words", "words": ["guarantee"]}	2026-01-15 09:30:00	2026-01-15 09:30:00	1
\.


--
-- Data for Name: invitation; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.invitation (id, user_id, nonce, invited_by_id, created_at, expires_at, accepted_at, reminders_sent, last_sent_at) FROM stdin;
1	4	nonce-legacy-1	1	2026-01-15 09:30:00	2026-01-22 09:30:00	\N	1	2026-01-15 09:30:00
2	3	nonce-legacy-2	\N	2026-01-15 09:30:00	2026-01-22 09:30:00	2026-01-15 09:30:00	0	2026-01-15 09:30:00
\.


--
-- Data for Name: loginfailure; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.loginfailure (id, key, at) FROM stdin;
1	email:somchai@example.com	2026-01-15 09:30:00
2	ip:127.0.0.1	2026-01-15 09:30:00
\.


--
-- Data for Name: membership; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.membership (user_id, team_id) FROM stdin;
2	2
2	1
3	3
\.


--
-- Data for Name: refreshtoken; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.refreshtoken (id, token_hash, family, user_id, issued_at, expires_at, rotated_at, revoked_at) FROM stdin;
1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	fam-1	2	2026-01-15 09:30:00	2026-02-14 09:30:00	\N	\N
2	bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb	fam-1	2	2026-01-15 09:30:00	2026-02-14 09:30:00	2026-01-15 10:30:00	2026-01-15 11:30:00
\.


--
-- Data for Name: setting; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.setting (key, value) FROM stdin;
org_name	"Ακμή · บริษัท 🏢"
digest	{"enabled": true, "weekday": 1}
\.


--
-- Data for Name: share; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.share (id, event_id, user_id, network, snippet_id, variant, edited, edit_distance, findings, shared_at, received_at) FROM stdin;
1	evt-legacy-1	2	linkedin	1	0	t	7	[{"message": "ลดอีโมจิ 🙂", "rule": "no-emoji"}]	2026-01-15 09:30:00	2026-01-15 09:30:00
2	evt-legacy-2	3	x	\N	\N	f	0	[]	2026-01-15 09:30:00	2026-01-15 09:30:00
\.


--
-- Data for Name: snippet; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.snippet (id, title, link_url, hashtags, campaign_id, targeted, status, featured, source, language, starts_at, expires_at, created_by_id, created_at, updated_at, approved_by_id, approved_at, archived_by_id, archived_at) FROM stdin;
1	Our new product ✨	https://example.com/launch	["launch", "ข่าว"]	1	f	approved	t	manual	en	2026-01-15 09:30:00	2099-01-01 00:00:00	1	2026-01-15 09:30:00	2026-01-15 09:30:00	1	2026-01-15 09:30:00	\N	\N
2	ข่าวสำหรับทีมขาย	\N	[]	\N	t	approved	f	manual	th	2026-01-15 09:30:00	2099-01-01 00:00:00	1	2026-01-15 09:30:00	2026-01-15 09:30:00	1	2026-01-15 09:30:00	\N	\N
3	Παλιό νέο	\N	["παλιό"]	\N	f	archived	f	feed	el	2026-01-15 09:30:00	2026-01-16 09:30:00	\N	2026-01-15 09:30:00	2026-01-15 09:30:00	\N	\N	1	2026-01-17 09:30:00
\.


--
-- Data for Name: snippetteam; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.snippetteam (snippet_id, team_id) FROM stdin;
2	2
2	1
\.


--
-- Data for Name: snippetvariant; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.snippetvariant (id, snippet_id, network, "position", text) FROM stdin;
1	1	linkedin	0	We launched! 🚀 Read more
2	1	x	0	Launched 🚀
3	1	x	1	Second take
4	2	linkedin	0	สวัสดีครับ ทีมขาย 🙏
5	3	linkedin	0	Καλημέρα κόσμε
\.


--
-- Data for Name: team; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.team (id, name, created_at) FROM stdin;
1	Sales	2026-01-15 09:30:00
2	ทีมขาย กรุงเทพ	2026-01-15 09:30:00
3	Ομάδα Αθήνας 🇬🇷	2026-01-15 09:30:00
\.


--
-- Data for Name: trackedlink; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.trackedlink (id, code, user_id, snippet_id, target_url, created_at) FROM stdin;
1	abc123	2	1	https://example.com/launch	2026-01-15 09:30:00
2	def456	3	1	https://example.com/launch?ref=ελ	2026-01-15 09:30:00
\.


--
-- Data for Name: user; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public."user" (id, email, name, password_hash, role, status, language, leaderboard_opt_in, digest_opt_in, follower_count, created_at, invited_at, joined_at, last_login_at, tokens_valid_after) FROM stdin;
1	admin@example.com	Ada Admin	pbkdf2:sha256:1000$q205LrhM$bb114fd61a02ed91d3c17b8e1ab315a54c4c91f7147c3ebb52fc1e5b29d14df9	admin	active	en	f	t	\N	2026-01-15 09:30:00	\N	2026-01-15 09:30:00	2026-01-16 09:30:00	\N
2	somchai@example.com	สมชาย ใจดี	pbkdf2:sha256:1000$q205LrhM$bb114fd61a02ed91d3c17b8e1ab315a54c4c91f7147c3ebb52fc1e5b29d14df9	employee	active	th	t	t	1234	2026-01-15 09:30:00	\N	2026-01-15 09:30:00	\N	2026-01-15 09:30:00
3	eleni@example.com	Ελένη Παπαδοπούλου 😀	pbkdf2:sha256:1000$q205LrhM$bb114fd61a02ed91d3c17b8e1ab315a54c4c91f7147c3ebb52fc1e5b29d14df9	employee	active	el	f	f	\N	2026-01-15 09:30:00	\N	2026-01-15 09:30:00	\N	\N
4	new@example.com	Newcomer	\N	employee	invited	en	f	t	\N	2026-01-15 09:30:00	2026-01-15 09:30:00	\N	\N	\N
5	gone@example.com	Gone	\N	employee	disabled	en	f	t	\N	2026-01-15 09:30:00	\N	\N	\N	\N
\.


--
-- Name: auditentry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auditentry_id_seq', 2, true);


--
-- Name: campaign_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.campaign_id_seq', 2, true);


--
-- Name: click_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.click_id_seq', 2, true);


--
-- Name: guidelinerule_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.guidelinerule_id_seq', 1, true);


--
-- Name: invitation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.invitation_id_seq', 2, true);


--
-- Name: loginfailure_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.loginfailure_id_seq', 2, true);


--
-- Name: refreshtoken_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.refreshtoken_id_seq', 2, true);


--
-- Name: share_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.share_id_seq', 2, true);


--
-- Name: snippet_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.snippet_id_seq', 3, true);


--
-- Name: snippetvariant_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.snippetvariant_id_seq', 5, true);


--
-- Name: team_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.team_id_seq', 3, true);


--
-- Name: trackedlink_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.trackedlink_id_seq', 2, true);


--
-- Name: user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.user_id_seq', 5, true);


--
-- Name: auditentry auditentry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auditentry
    ADD CONSTRAINT auditentry_pkey PRIMARY KEY (id);


--
-- Name: campaign campaign_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.campaign
    ADD CONSTRAINT campaign_pkey PRIMARY KEY (id);


--
-- Name: click click_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.click
    ADD CONSTRAINT click_pkey PRIMARY KEY (id);


--
-- Name: guidelinerule guidelinerule_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.guidelinerule
    ADD CONSTRAINT guidelinerule_pkey PRIMARY KEY (id);


--
-- Name: invitation invitation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation
    ADD CONSTRAINT invitation_pkey PRIMARY KEY (id);


--
-- Name: loginfailure loginfailure_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loginfailure
    ADD CONSTRAINT loginfailure_pkey PRIMARY KEY (id);


--
-- Name: membership membership_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_pkey PRIMARY KEY (user_id, team_id);


--
-- Name: refreshtoken refreshtoken_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refreshtoken
    ADD CONSTRAINT refreshtoken_pkey PRIMARY KEY (id);


--
-- Name: setting setting_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.setting
    ADD CONSTRAINT setting_pkey PRIMARY KEY (key);


--
-- Name: share share_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share
    ADD CONSTRAINT share_pkey PRIMARY KEY (id);


--
-- Name: snippet snippet_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippet
    ADD CONSTRAINT snippet_pkey PRIMARY KEY (id);


--
-- Name: snippetteam snippetteam_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippetteam
    ADD CONSTRAINT snippetteam_pkey PRIMARY KEY (snippet_id, team_id);


--
-- Name: snippetvariant snippetvariant_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippetvariant
    ADD CONSTRAINT snippetvariant_pkey PRIMARY KEY (id);


--
-- Name: team team_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team
    ADD CONSTRAINT team_pkey PRIMARY KEY (id);


--
-- Name: trackedlink trackedlink_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trackedlink
    ADD CONSTRAINT trackedlink_pkey PRIMARY KEY (id);


--
-- Name: user user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."user"
    ADD CONSTRAINT user_pkey PRIMARY KEY (id);


--
-- Name: auditentry_actor_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auditentry_actor_id ON public.auditentry USING btree (actor_id);


--
-- Name: auditentry_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auditentry_at ON public.auditentry USING btree (at);


--
-- Name: campaign_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX campaign_name ON public.campaign USING btree (name);


--
-- Name: click_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX click_at ON public.click USING btree (at);


--
-- Name: click_link_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX click_link_id ON public.click USING btree (link_id);


--
-- Name: guidelinerule_rule_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX guidelinerule_rule_id ON public.guidelinerule USING btree (rule_id);


--
-- Name: guidelinerule_updated_by_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX guidelinerule_updated_by_id ON public.guidelinerule USING btree (updated_by_id);


--
-- Name: invitation_invited_by_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX invitation_invited_by_id ON public.invitation USING btree (invited_by_id);


--
-- Name: invitation_nonce; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX invitation_nonce ON public.invitation USING btree (nonce);


--
-- Name: invitation_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX invitation_user_id ON public.invitation USING btree (user_id);


--
-- Name: loginfailure_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX loginfailure_at ON public.loginfailure USING btree (at);


--
-- Name: loginfailure_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX loginfailure_key ON public.loginfailure USING btree (key);


--
-- Name: membership_team_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX membership_team_id ON public.membership USING btree (team_id);


--
-- Name: membership_team_id_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX membership_team_id_user_id ON public.membership USING btree (team_id, user_id);


--
-- Name: membership_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX membership_user_id ON public.membership USING btree (user_id);


--
-- Name: refreshtoken_family; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX refreshtoken_family ON public.refreshtoken USING btree (family);


--
-- Name: refreshtoken_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX refreshtoken_token_hash ON public.refreshtoken USING btree (token_hash);


--
-- Name: refreshtoken_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX refreshtoken_user_id ON public.refreshtoken USING btree (user_id);


--
-- Name: share_event_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX share_event_id ON public.share USING btree (event_id);


--
-- Name: share_shared_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX share_shared_at ON public.share USING btree (shared_at);


--
-- Name: share_snippet_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX share_snippet_id ON public.share USING btree (snippet_id);


--
-- Name: share_snippet_id_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX share_snippet_id_user_id ON public.share USING btree (snippet_id, user_id);


--
-- Name: share_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX share_user_id ON public.share USING btree (user_id);


--
-- Name: snippet_approved_by_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_approved_by_id ON public.snippet USING btree (approved_by_id);


--
-- Name: snippet_archived_by_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_archived_by_id ON public.snippet USING btree (archived_by_id);


--
-- Name: snippet_campaign_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_campaign_id ON public.snippet USING btree (campaign_id);


--
-- Name: snippet_created_by_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_created_by_id ON public.snippet USING btree (created_by_id);


--
-- Name: snippet_status_approved_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_status_approved_at ON public.snippet USING btree (status, approved_at);


--
-- Name: snippet_status_starts_at_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_status_starts_at_expires_at ON public.snippet USING btree (status, starts_at, expires_at);


--
-- Name: snippet_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippet_updated_at ON public.snippet USING btree (updated_at);


--
-- Name: snippetteam_snippet_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippetteam_snippet_id ON public.snippetteam USING btree (snippet_id);


--
-- Name: snippetteam_team_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippetteam_team_id ON public.snippetteam USING btree (team_id);


--
-- Name: snippetteam_team_id_snippet_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippetteam_team_id_snippet_id ON public.snippetteam USING btree (team_id, snippet_id);


--
-- Name: snippetvariant_snippet_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX snippetvariant_snippet_id ON public.snippetvariant USING btree (snippet_id);


--
-- Name: snippetvariant_snippet_id_network_position; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX snippetvariant_snippet_id_network_position ON public.snippetvariant USING btree (snippet_id, network, "position");


--
-- Name: team_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX team_name ON public.team USING btree (name);


--
-- Name: trackedlink_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX trackedlink_code ON public.trackedlink USING btree (code);


--
-- Name: trackedlink_snippet_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX trackedlink_snippet_id ON public.trackedlink USING btree (snippet_id);


--
-- Name: trackedlink_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX trackedlink_user_id ON public.trackedlink USING btree (user_id);


--
-- Name: trackedlink_user_id_snippet_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX trackedlink_user_id_snippet_id ON public.trackedlink USING btree (user_id, snippet_id);


--
-- Name: user_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX user_email ON public."user" USING btree (email);


--
-- Name: user_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_status ON public."user" USING btree (status);


--
-- Name: auditentry auditentry_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auditentry
    ADD CONSTRAINT auditentry_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public."user"(id) ON DELETE SET NULL;


--
-- Name: click click_link_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.click
    ADD CONSTRAINT click_link_id_fkey FOREIGN KEY (link_id) REFERENCES public.trackedlink(id) ON DELETE CASCADE;


--
-- Name: guidelinerule guidelinerule_updated_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.guidelinerule
    ADD CONSTRAINT guidelinerule_updated_by_id_fkey FOREIGN KEY (updated_by_id) REFERENCES public."user"(id) ON DELETE SET NULL;


--
-- Name: invitation invitation_invited_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation
    ADD CONSTRAINT invitation_invited_by_id_fkey FOREIGN KEY (invited_by_id) REFERENCES public."user"(id) ON DELETE SET NULL;


--
-- Name: invitation invitation_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation
    ADD CONSTRAINT invitation_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: membership membership_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.team(id) ON DELETE CASCADE;


--
-- Name: membership membership_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: refreshtoken refreshtoken_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refreshtoken
    ADD CONSTRAINT refreshtoken_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: share share_snippet_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share
    ADD CONSTRAINT share_snippet_id_fkey FOREIGN KEY (snippet_id) REFERENCES public.snippet(id) ON DELETE SET NULL;


--
-- Name: share share_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.share
    ADD CONSTRAINT share_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: snippet snippet_approved_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippet
    ADD CONSTRAINT snippet_approved_by_id_fkey FOREIGN KEY (approved_by_id) REFERENCES public."user"(id) ON DELETE SET NULL;


--
-- Name: snippet snippet_archived_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippet
    ADD CONSTRAINT snippet_archived_by_id_fkey FOREIGN KEY (archived_by_id) REFERENCES public."user"(id) ON DELETE SET NULL;


--
-- Name: snippet snippet_campaign_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippet
    ADD CONSTRAINT snippet_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES public.campaign(id) ON DELETE SET NULL;


--
-- Name: snippet snippet_created_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippet
    ADD CONSTRAINT snippet_created_by_id_fkey FOREIGN KEY (created_by_id) REFERENCES public."user"(id) ON DELETE SET NULL;


--
-- Name: snippetteam snippetteam_snippet_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippetteam
    ADD CONSTRAINT snippetteam_snippet_id_fkey FOREIGN KEY (snippet_id) REFERENCES public.snippet(id) ON DELETE CASCADE;


--
-- Name: snippetteam snippetteam_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippetteam
    ADD CONSTRAINT snippetteam_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.team(id) ON DELETE CASCADE;


--
-- Name: snippetvariant snippetvariant_snippet_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.snippetvariant
    ADD CONSTRAINT snippetvariant_snippet_id_fkey FOREIGN KEY (snippet_id) REFERENCES public.snippet(id) ON DELETE CASCADE;


--
-- Name: trackedlink trackedlink_snippet_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trackedlink
    ADD CONSTRAINT trackedlink_snippet_id_fkey FOREIGN KEY (snippet_id) REFERENCES public.snippet(id) ON DELETE CASCADE;


--
-- Name: trackedlink trackedlink_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trackedlink
    ADD CONSTRAINT trackedlink_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict Yy8L5mbda5rSavRqpI7akFaUJ9jHvUbKh9SPAX82btzZqpham9KEArxStl3cLFI

