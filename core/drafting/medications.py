"""Medication names a progress note may mention, so a draft cannot slip one in unseen.

Common psychiatric and sleep medications by generic and brand name, plus the
generic-name endings of their classes, so a name missing from the list is
still caught when it looks like one of them.
"""

from __future__ import annotations

import re

GENERIC_NAMES = (
    # antidepressants
    "sertraline fluoxetine escitalopram citalopram paroxetine fluvoxamine vilazodone "
    "vortioxetine venlafaxine desvenlafaxine duloxetine levomilnacipran bupropion "
    "mirtazapine trazodone nefazodone amitriptyline nortriptyline imipramine clomipramine "
    "doxepin phenelzine tranylcypromine selegiline esketamine ketamine "
    # mood stabilisers and antipsychotics
    "lithium lamotrigine valproate divalproex carbamazepine oxcarbazepine topiramate "
    "quetiapine aripiprazole brexpiprazole cariprazine risperidone paliperidone olanzapine "
    "ziprasidone lurasidone clozapine haloperidol chlorpromazine lumateperone "
    # anxiolytics, hypnotics and others
    "clonazepam lorazepam alprazolam diazepam chlordiazepoxide temazepam buspirone "
    "hydroxyzine propranolol prazosin clonidine guanfacine gabapentin pregabalin "
    "zolpidem eszopiclone zaleplon suvorexant ramelteon melatonin "
    # ADHD and substance use
    "methylphenidate dexmethylphenidate amphetamine dextroamphetamine lisdexamfetamine "
    "atomoxetine viloxazine naltrexone buprenorphine methadone acamprosate disulfiram "
    "varenicline nicotine"
).split()

BRAND_NAMES = (
    "Zoloft Prozac Lexapro Celexa Paxil Luvox Viibryd Trintellix Effexor Pristiq Cymbalta "
    "Wellbutrin Remeron Desyrel Elavil Pamelor Anafranil Nardil Parnate Emsam Spravato "
    "Lamictal Depakote Tegretol Trileptal Topamax Seroquel Abilify Rexulti Vraylar "
    "Risperdal Invega Zyprexa Geodon Latuda Clozaril Haldol Caplyta Klonopin Ativan Xanax "
    "Valium Librium Restoril BuSpar Vistaril Atarax Minipress Catapres Intuniv Neurontin "
    "Lyrica Ambien Lunesta Sonata Belsomra Rozerem Ritalin Concerta Focalin Adderall "
    "Dexedrine Vyvanse Strattera Qelbree Vivitrol Suboxone Subutex Sublocade Campral "
    "Antabuse Chantix"
).split()

# Endings of generic names by class; long enough not to match ordinary English words.
GENERIC_ENDINGS = (
    "oxetine",
    "opram",
    "triptyline",
    "ipramine",
    "afaxine",
    "azepam",
    "azolam",
    "apine",
    "idone",
    "iprazole",
    "trigine",
    "phenidate",
    "etamine",
    "zodone",
)

_KNOWN = re.compile(
    r"\b(" + "|".join(re.escape(name) for name in GENERIC_NAMES + BRAND_NAMES) + r")\b",
    re.IGNORECASE,
)
_BY_ENDING = re.compile(r"\b([a-z]{3,}(?:" + "|".join(GENERIC_ENDINGS) + r"))\b", re.IGNORECASE)


def find_medications(text: str) -> list[str]:
    """Medication names in the text, each once, as written."""
    found: dict[str, str] = {}
    for pattern in (_KNOWN, _BY_ENDING):
        for match in pattern.finditer(text):
            found.setdefault(match.group(1).lower(), match.group(1))
    return list(found.values())
