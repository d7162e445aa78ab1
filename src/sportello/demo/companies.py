"""The four demo companies, modelled on the seeds' portals (contacts, rules, texts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sportello.core.models import CompanyKind


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
    pec_domains: str = "pec.it\nlegalmail.it\npec.demo.example"
    #: Where customers pay what is overdue (leasing companies): beneficiary, bank, contact.
    payment: tuple[str, str, str] = ("", "", "")
    faq: list[tuple[str, str, str, str]] = field(default_factory=list)
    request_types: list[tuple[str, str]] = field(default_factory=list)


LEASING_GUIDE = """Benvenuto nell'Area Clienti.

Home: la sezione «La tua situazione» riepiloga pagamenti scaduti, prossima scadenza, prossimo pagamento e anticipi versati; il pannello dei contratti attivi porta ai contratti e ai beni in locazione; il pannello delle richieste mostra le ultime richieste inviate.

Fatture e pagamenti: lo scadenziario di tutti i contratti o di un singolo contratto, con stato (a scadere, scaduto, pagato), importi e fatture in PDF. Il pulsante «Esporta» scarica la vista corrente in Excel.

Contratti: i contratti attivi (a reddito) ed estinti, con dati generali, date, prodotto, importi e rata; da ogni contratto si raggiungono il piano di ammortamento, i beni, i documenti e lo scadenziario.

Area self-service: modifica della banca d'appoggio / IBAN, variazione d'indirizzo, altre richieste con allegati, richiesta di estinzione anticipata.

Profilo utente: lingua, e-mail principale e secondaria, sotto-utenze."""

UTILITY_GUIDE = """Benvenuto nel Portale clienti.

Punto di fornitura: in alto è possibile selezionare il punto di fornitura di interesse; la scelta resta valida in tutte le pagine.

Elenco fatture: le fatture dal 2014; si possono scaricare quelle con il simbolo PDF.

Autolettura contatore: si inseriscono le letture del contatore (e del correttore, per i punti gas che ne hanno uno) nei periodi consentiti; una sola lettura al giorno; la lettura si può cancellare finché non è acquisita.

Dati anagrafici: si modificano in autonomia telefono, fax ed e-mail; per gli altri dati si segnala la difformità alla società.

Prelievi fatturati: energia e potenza per anno, in forma grafica o tabellare."""

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

LEASING_REQUEST_TYPES = [
    ("Duplicato fattura", "Invoice duplicate"),
    ("Certificazione interessi", "Interest statement"),
    ("Copia del contratto", "Copy of the contract"),
    ("Variazione indirizzo PEC", "Change of PEC address"),
    ("Informazioni sul riscatto", "Information on the purchase option"),
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
        phone="",
        commercial_contacts=(
            "Per ulteriori informazioni relative ai servizi contenuti nell'Area Clienti è "
            "possibile rivolgersi alla Filiale Asset Italease del Banco BPM che opera in "
            "outsourcing per Release."
        ),
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
        phone="0422 427411",
        commercial_contacts=(
            "Sede legale e Direzione Generale: Piazza Rinaldi, 8 – 31100 Treviso (TV)\n"
            "Tel. 0422 427411 – Fax 0422 427499"
        ),
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
                "Dove posso trovare le richieste effettuate ad oggi?",
                "Lo storico delle richieste è nella Home Page in basso e nel menu, alla voce "
                "«Richieste».",
                "Where can I find my requests?",
                "The request history is at the bottom of the home page and in the menu under "
                "«Requests».",
            ),
            (
                "È possibile inserire un secondo indirizzo e-mail sul quale ricevere le "
                "notifiche delle richieste?",
                "Sì: nel profilo utente l'«e-mail secondaria» (non PEC) riceve le notifiche "
                "delle richieste. L'e-mail principale coincide con la PEC fornita alla "
                "stipula; per cambiare la PEC per tutte le comunicazioni usare l'area "
                "self-service.",
                "Can I add a second e-mail address for request notifications?",
                "Yes: the «secondary e-mail» (not PEC) in your profile receives request "
                "notifications.",
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
                "Quando posso inserire l'autolettura?",
                "Nei periodi indicati nella pagina «Autolettura contatore». È possibile "
                "inserire una sola lettura al giorno.",
                "When can I enter a meter reading?",
                "In the periods listed on the «Meter self-reading» page, one reading per day.",
            ),
        ],
        request_types=UTILITY_REQUEST_TYPES,
    ),
]
