"""The four demo companies, modelled on the seeds' portals (contacts, rules, texts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sportello.core.models import CompanyKind, Conformity


@dataclass(frozen=True)
class CompanySpec:
    slug: str
    name: str
    kind: CompanyKind
    host: str
    primary_colour: str
    accent_colour: str
    support_email: str
    phone: str
    commercial_contacts: str
    legal_footer: str
    first_invoice_year: int
    customer_code_start: int
    contract_number_start: int
    customers: int
    commercial_contacts_en: str
    pec_domains: str = "pec.it\nlegalmail.it\npec.demo.example"
    #: Where customers' replies are announced; empty: the support address.
    service_desk_email: str = ""
    #: Where customers pay what is overdue (leasing companies): beneficiary, bank, contact.
    payment: tuple[str, str, str] = ("", "", "")
    accessibility_conformity: Conformity = Conformity.PARTIAL
    accessibility_feedback_email: str = ""
    faq: list[tuple[str, str, str, str]] = field(default_factory=list)
    request_types: list[tuple[str, str]] = field(default_factory=list)

    @property
    def guides(self) -> tuple[str, str]:
        """The guide in Italian and in English."""
        if self.kind == CompanyKind.UTILITY:
            return UTILITY_GUIDE, UTILITY_GUIDE_EN
        return LEASING_GUIDE, LEASING_GUIDE_EN

    @property
    def accessibility_issues(self) -> tuple[str, str]:
        """The non-accessible content, in Italian and in English."""
        if self.accessibility_conformity == Conformity.FULL:
            return "", ""
        return LEASING_ACCESSIBILITY_ISSUES, LEASING_ACCESSIBILITY_ISSUES_EN


# The guides describe only what each portal offers today: the sections the
# menu marks "in arrivo" are not mentioned (tests/demo/test_demo_content.py).
LEASING_GUIDE = """Benvenuto nell'Area Clienti.

Home: la sezione «La tua situazione» riepiloga pagamenti scaduti, prossima scadenza, prossimo pagamento e anticipi versati; il pannello dei contratti attivi porta ai contratti e ai beni in locazione.

Fatture e pagamenti: lo scadenziario di tutti i contratti o di un singolo contratto, con stato (a scadere, scaduto, pagato) e importi. Il pulsante «Esporta» scarica la vista corrente in Excel.

Fatture: le fatture e le note di credito, con il PDF da scaricare.

Contratti: i contratti attivi (a reddito) ed estinti, con dati generali, date, prodotto, importi e rata; da ogni contratto si raggiungono il piano di ammortamento, i beni e i documenti del contratto.

Beni in locazione: i beni di tutti i contratti, esportabili in Excel.

Rendiconti di trasparenza: il rendiconto annuale di ogni contratto, da consultare o scaricare in PDF.

Documenti: i documenti che la società mette a disposizione.

Profilo utente: lingua delle pagine e delle e-mail, e-mail principale e secondaria, invio cartaceo delle fatture, cambio password; l'utente principale crea e gestisce le sotto-utenze.

Le voci del menu contrassegnate «in arrivo» non sono ancora disponibili."""

LEASING_GUIDE_EN = """Welcome to the Customer Area.

Home: «Your situation» sums up overdue payments, the next due date, the next payment and the advances paid; the active contracts panel leads to your contracts and leased assets.

Invoices and payments: the payment schedule of all your contracts or of one contract, with its status (to be due, overdue, paid) and amounts. The «Export» button downloads the current view as an Excel file.

Invoices: your invoices and credit notes, each with its PDF to download.

Contracts: active and extinct contracts, with general data, dates, product, amounts and instalment; each contract leads to its amortisation plan, its assets and its documents.

Leased assets: the assets of all your contracts, which you can export to Excel.

Transparency statements: the yearly statement of each contract, to read on screen or download as a PDF.

Documents: the documents the company makes available to you.

User profile: the language of pages and e-mails, primary and secondary e-mail, paper invoices, password change; the main user creates and manages sub-users.

Menu entries marked «coming soon» are not available yet."""

UTILITY_GUIDE = """Benvenuto nel Portale clienti.

Accesso: si entra con il codice cliente (sei cifre, stampato nella prima pagina della bolletta) e la password; a ogni accesso arriva via e-mail un codice di verifica da inserire.

Profilo utente: lingua delle pagine e delle e-mail, e-mail principale e secondaria, cambio password; l'utente principale crea e gestisce le sotto-utenze.

Contatti e domande frequenti: i recapiti degli sportelli e dell'assistenza tecnica e le risposte ai dubbi più comuni.

Le altre voci del menu sono contrassegnate «in arrivo»: saranno disponibili in una prossima versione del portale. Nel frattempo ci si rivolge agli sportelli o al numero verde indicati nella pagina Contatti."""

UTILITY_GUIDE_EN = """Welcome to the Customer Portal.

Access: log in with your customer code (six digits, printed on the first page of your bill) and your password; at each login a verification code arrives by e-mail.

User profile: the language of pages and e-mails, primary and secondary e-mail, password change; the main user creates and manages sub-users.

Contacts and frequently asked questions: how to reach our service desks and technical support, and answers to the most common questions.

The other menu entries are marked «coming soon»: they will be available in a later version of the portal. Meanwhile, please contact the service desks or the freephone number on the Contacts page."""

# The portal as built: pages pass axe (WCAG 2.1 AA); the invoice PDFs are not
# tagged PDF/UA, which the statement owns up to with an accessible alternative.
LEASING_ACCESSIBILITY_ISSUES = (
    "Fatture in PDF: i file PDF delle fatture non sono documenti PDF accessibili (PDF/UA) e "
    "un lettore di schermo può non riconoscerne tabelle e intestazioni (non conformità al "
    "criterio di successo 1.3.1 delle WCAG 2.1). Alternativa accessibile: gli stessi dati "
    "sono nelle pagine «Fatture» e «Fatture e pagamenti», esportabili in Excel."
)
LEASING_ACCESSIBILITY_ISSUES_EN = (
    "Invoice PDFs: the invoice PDF files are not accessible PDF (PDF/UA) documents, and a "
    "screen reader may not recognise their tables and headings (non-compliance with WCAG "
    "2.1 success criterion 1.3.1). Accessible alternative: the same data is on the "
    "«Invoices» and «Invoices and payments» pages, which can be exported to Excel."
)

LEASING_FAQ = [
    (
        "Quali sono le fatture visualizzabili?",
        "Tutte le fatture, incluse le note di credito, dal 2008 in poi.",
        "Which invoices can I see?",
        "All invoices, credit notes included, from 2008 onwards.",
    ),
    (
        "A seguito della registrazione si riceve ancora la fattura cartacea?",
        "No, con l'adesione al servizio di fatturazione on-line viene revocato l'invio delle "
        "fatture tramite posta ordinaria. Può essere riattivato dalla sezione Profilo utente.",
        "Do I still receive paper invoices after registering?",
        "No: joining online invoicing stops paper invoices by post. You can switch them back "
        "on in your user profile.",
    ),
    (
        "Si può considerare fiscalmente valida la fattura presente nell'Area Clienti?",
        "Per considerare fiscalmente valido il documento è necessario stamparlo: la copia "
        "cartacea costituisce l'evidenza legale del documento e va conservata secondo le "
        "disposizioni di legge.",
        "Is the invoice in the customer area valid for tax purposes?",
        "The printed copy is the legal evidence of the document and must be kept as the law "
        "requires.",
    ),
    (
        "Cosa bisogna fare se non si riceve la password di accesso?",
        "Trascorsi 60 minuti dalla prima registrazione è possibile ripetere la registrazione "
        "indicando l'indirizzo e-mail corretto.",
        "What if the access password never arrives?",
        "After 60 minutes from the first registration you can register again with the "
        "correct e-mail address.",
    ),
]

# "Richieste default" (E3): what leasing customers ask most besides the typed
# requests. No "conteggio di estinzione" (early termination is a kind of its
# own, E4) and no PEC change (a kind too, seed 003 answer 4).
LEASING_REQUEST_TYPES = [
    ("Richiesta duplicato fattura", "Duplicate invoice request"),
    ("Richiesta copia contratto", "Copy of the contract"),
    ("Certificazione interessi", "Interest certificate"),
    ("Informazioni su polizza assicurativa", "Insurance policy information"),
    ("Informazioni sul riscatto del bene", "Purchase option information"),
    ("Variazione modalità di pagamento", "Change of payment method"),
    ("Altro", "Other"),
]

UTILITY_REQUEST_TYPES = [
    ("Voltura", "Change of account holder"),
    ("Verifica del contatore", "Meter check"),
    ("Rateizzazione bolletta", "Payment in instalments"),
    ("Informazioni sulla bolletta", "Questions about a bill"),
    ("Altro", "Other"),
]

COMPANIES = [
    CompanySpec(
        slug="release",
        name="Release",
        kind=CompanyKind.LEASING,
        host="release.localhost",
        primary_colour="#00457c",
        accent_colour="#e4002b",
        support_email="areariservata@release.demo.example",
        service_desk_email="servizioclienti@release.demo.example",
        phone="",
        commercial_contacts=(
            "Per ulteriori informazioni relative ai servizi contenuti nell'Area Clienti è "
            "possibile rivolgersi alla Filiale Asset Italease del Banco BPM che opera in "
            "outsourcing per Release."
        ),
        commercial_contacts_en=(
            "For further information on the services of the Customer Area, please contact "
            "the Asset Italease branch of Banco BPM, which serves Release in outsourcing."
        ),
        accessibility_feedback_email="accessibilita@release.demo.example",
        legal_footer=(
            "Release S.p.A. (dati dimostrativi) – Sede legale: Via Roma, 1 – 20121 Milano (MI)\n"
            "Iscritta all'Albo degli Intermediari Finanziari ex art. 106 D.Lgs. 385/93"
        ),
        first_invoice_year=2008,
        customer_code_start=10001,
        contract_number_start=84963,
        customers=8,
        faq=LEASING_FAQ,
        request_types=LEASING_REQUEST_TYPES,
        payment=(
            "Release S.p.A.",
            "Banco BPM S.p.A. – Milano",
            "amministrazione@release.demo.example – 02 0000 0001",
        ),
    ),
    CompanySpec(
        slug="bancobpm",
        name="Banco BPM – Divisione Leasing",
        kind=CompanyKind.LEASING,
        host="bancobpm.localhost",
        primary_colour="#004b55",
        accent_colour="#d4a017",
        support_email="areaclienti.ls@bancobpm.demo.example",
        phone="",
        commercial_contacts=(
            "Per ulteriori informazioni relative ai servizi contenuti nell'Area Clienti è "
            "possibile rivolgersi alla Filiale Asset Italease del Banco BPM."
        ),
        commercial_contacts_en=(
            "For further information on the services of the Customer Area, please contact "
            "the Asset Italease branch of Banco BPM."
        ),
        legal_footer=(
            "Banco BPM S.p.A. – Divisione Leasing (dati dimostrativi) – Piazza Meda, 4 – "
            "20121 Milano (MI)"
        ),
        first_invoice_year=2008,
        customer_code_start=20001,
        contract_number_start=51207,
        customers=8,
        faq=LEASING_FAQ,
        request_types=LEASING_REQUEST_TYPES,
        payment=(
            "Banco BPM S.p.A. – Divisione Leasing",
            "Banco BPM S.p.A. – Verona",
            "leasing.incassi@bancobpm.demo.example – 045 000 0002",
        ),
    ),
    CompanySpec(
        slug="claris",
        name="Claris Leasing",
        kind=CompanyKind.LEASING,
        host="claris.localhost",
        primary_colour="#5b1f3a",
        accent_colour="#f2b705",
        support_email="customerportal@claris.demo.example",
        service_desk_email="assistenza.clienti@claris.demo.example",
        phone="0422 427411",
        commercial_contacts=(
            "Sede legale e Direzione Generale: Piazza Rinaldi, 8 – 31100 Treviso (TV)\n"
            "Tel. 0422 427411 – Fax 0422 427499"
        ),
        commercial_contacts_en=(
            "Registered office and General Management: Piazza Rinaldi, 8 – 31100 Treviso (TV), "
            "Italy\nPhone +39 0422 427411 – Fax +39 0422 427499"
        ),
        accessibility_feedback_email="accessibilita@claris.demo.example",
        legal_footer=(
            "Claris Leasing S.p.A. (dati dimostrativi) – Capitale sociale interamente versato "
            "Euro 40.000.000,00\nIscritta al n° 16 dell'Albo degli Intermediari Finanziari ex "
            "art. 106 D.Lgs. 385/93 – Piazza Rinaldi, 8 – 31100 Treviso (TV)"
        ),
        first_invoice_year=2016,
        customer_code_start=10093,
        contract_number_start=84963,
        customers=8,
        faq=[
            (
                "Ho dimenticato la password di accesso, come posso fare per recuperarla?",
                "Può recuperarla in autonomia con il link «Password dimenticata?» della "
                "pagina di accesso.",
                "I forgot my password: how do I get it back?",
                "Use the «Forgot your password?» link on the login page.",
            ),
            (
                "Dove trovo il piano di ammortamento di un contratto?",
                "Nel menu «Contratti»: aprendo un contratto si raggiungono il piano di "
                "ammortamento, che si può esportare in Excel, i beni e i documenti del "
                "contratto.",
                "Where do I find the amortisation plan of a contract?",
                "In the «Contracts» menu: open a contract to reach its amortisation plan, "
                "which you can export to Excel, its assets and its documents.",
            ),
            (
                "Posso cambiare l'indirizzo e-mail a cui arrivano i codici di accesso?",
                "Sì, nel Profilo utente: l'e-mail principale si cambia indicando la password "
                "attuale, e il vecchio indirizzo riceve un avviso. Nel profilo si può anche "
                "indicare un'e-mail secondaria (non PEC). La PEC registrata presso la società "
                "non cambia dal portale: per modificarla usare i recapiti della pagina "
                "Contatti.",
                "Can I change the e-mail address that receives my login codes?",
                "Yes, in your User profile: you change the primary e-mail by entering your "
                "current password, and the old address is told. In the profile you can also "
                "add a secondary e-mail (not a PEC). The PEC on file with the company is not "
                "changed from the portal: to change it, use the details on the Contacts page.",
            ),
        ],
        request_types=LEASING_REQUEST_TYPES,
        payment=(
            "Claris Leasing S.p.A.",
            "Veneto Banca – Montebelluna",
            "incassi@claris.demo.example – 0423 000 003",
        ),
    ),
    CompanySpec(
        slug="energia",
        name="Energia Toscana",
        kind=CompanyKind.UTILITY,
        host="energia.localhost",
        primary_colour="#7a3b00",
        accent_colour="#2e7d32",
        support_email="portaleclienti@energiatoscana.demo.example",
        phone="800 123 456",
        commercial_contacts="Sportelli clienti: Via Roma, 12 – 59100 Prato (PO), lun–ven 9–13.",
        commercial_contacts_en=(
            "Customer service desks: Via Roma, 12 – 59100 Prato (PO), Monday to Friday 9am–1pm."
        ),
        accessibility_conformity=Conformity.FULL,
        legal_footer=(
            "Energia Toscana S.p.A. (dati dimostrativi) – Mercato libero – Via Roma, 12 – "
            "59100 Prato (PO)"
        ),
        first_invoice_year=2014,
        customer_code_start=2,
        contract_number_start=0,
        customers=8,
        faq=[
            (
                "Dove trovo il codice cliente?",
                "In fattura, nella prima pagina, subito sotto il numero e la data del "
                "documento: è un numero di sei cifre.",
                "Where do I find my customer code?",
                "On the first page of your bill, under the invoice number and date: it has "
                "six digits.",
            ),
            (
                "Ho dimenticato la password: come la recupero?",
                "Con il link «Password dimenticata?» della pagina di accesso: si indica il "
                "codice cliente o l'e-mail e si riceve un link, valido un'ora, per sceglierne "
                "una nuova.",
                "I forgot my password: how do I get it back?",
                "Use the «Forgot your password?» link on the login page: enter your customer "
                "code or e-mail and you receive a link, valid for one hour, to choose a new one.",
            ),
        ],
        request_types=UTILITY_REQUEST_TYPES,
    ),
]
