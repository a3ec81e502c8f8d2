"""Published wording of the questionnaires, kept apart from the scoring so both stay readable.

Every text is copied from the version named beside it, never translated or paraphrased here:
a questionnaire is only valid in the words it was validated in. Where no official French text
could be confirmed, no French constant exists and the instrument is English-only.
Apostrophes are written as ASCII "'" (the typeset originals use U+2019); nothing else changes.
"""

# --- PHQ-9 -------------------------------------------------------------------------------
# English: Pfizer PHQ Screeners, official PHQ-9 form (Spitzer, Williams, Kroenke et al.; "No
# permission required to reproduce, translate, display or distribute").
PHQ9_PROMPT_EN = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
PHQ9_ITEMS_EN = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
PHQ9_OPTIONS_EN = ("Not at all", "Several days", "More than half the days", "Nearly every day")
# French: Pfizer's Canadian-French PHQ-9, as reproduced by the Institut national de santé
# publique du Québec (INSPQ), post-disaster mental health toolkit, Questionnaire 2 (PHQ-9).
PHQ9_PROMPT_FR = (
    "Au cours des deux dernières semaines, à quelle fréquence avez-vous été "
    "dérangé(e) par les problèmes suivants?"
)
PHQ9_ITEMS_FR = (
    "Peu d'intérêt ou de plaisir à faire des choses",
    "Se sentir triste, déprimé(e) ou désespéré(e)",
    "Difficultés à s'endormir ou à rester endormi(e), ou trop dormir",
    "Se sentir fatigué(e) ou avoir peu d'énergie",
    "Peu d'appétit ou trop manger",
    "Mauvaise perception de vous-même — ou vous pensez que vous êtes un perdant ou "
    "que vous n'avez pas satisfait vos propres attentes ou celles de votre famille",
    "Difficultés à se concentrer sur des choses telles que lire le journal ou regarder "
    "la télévision",
    "Vous bougez ou parlez si lentement que les autres personnes ont pu le remarquer. Ou au "
    "contraire — vous êtes si agité(e) que vous bougez beaucoup plus que d'habitude",
    "Vous avez pensé que vous seriez mieux mort(e) ou pensé à vous blesser d'une "
    "façon ou d'une autre",
)
PHQ9_OPTIONS_FR = ("Jamais", "Plusieurs jours", "Plus de sept jours", "Presque tous les jours")

# --- GAD-7 -------------------------------------------------------------------------------
# English: Pfizer PHQ Screeners, official GAD-7 form (Spitzer, Kroenke, Williams & Löwe 2006).
GAD7_PROMPT_EN = (
    "Over the last 2 weeks, how often have you been bothered by the following problems?"
)
GAD7_ITEMS_EN = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
GAD7_OPTIONS_EN = PHQ9_OPTIONS_EN
# French: Pfizer's Canadian-French GAD-7 ("14 derniers jours", "dérangé(e)"), as reproduced by
# Quebec sources (Université de Montréal; Douglas Research Centre's OpenDataCapture); not yet
# checked against the Pfizer PDF itself.
GAD7_PROMPT_FR = (
    "Au cours des 14 derniers jours, à quelle fréquence avez-vous été "
    "dérangé(e) par les problèmes suivants?"
)
GAD7_ITEMS_FR = (
    "Sentiment de nervosité, d'anxiété ou de tension",
    "Incapable d'arrêter de vous inquiéter ou de contrôler vos inquiétudes",
    "Inquiétudes excessives à propos de tout et de rien",
    "Difficulté à se détendre",
    "Agitation telle qu'il est difficile de rester tranquille",
    "Devenir facilement contrarié(e) ou irritable",
    "Avoir peur que quelque chose d'épouvantable puisse arriver",
)
GAD7_OPTIONS_FR = (
    "Jamais",
    "Plusieurs jours",
    "Plus de la moitié des jours",
    "Presque tous les jours",
)

# --- PCL-5 -------------------------------------------------------------------------------
# English: PCL-5 (Weathers, Litz, Keane, Palmieri, Marx & Schnurr 2013), National Center for
# PTSD, public domain.
PCL5_PROMPT_EN = "In the past month, how much were you bothered by:"
PCL5_ITEMS_EN = (
    "Repeated, disturbing, and unwanted memories of the stressful experience?",
    "Repeated, disturbing dreams of the stressful experience?",
    "Suddenly feeling or acting as if the stressful experience were actually happening again "
    "(as if you were actually back there reliving it)?",
    "Feeling very upset when something reminded you of the stressful experience?",
    "Having strong physical reactions when something reminded you of the stressful experience "
    "(for example, heart pounding, trouble breathing, sweating)?",
    "Avoiding memories, thoughts, or feelings related to the stressful experience?",
    "Avoiding external reminders of the stressful experience (for example, people, places, "
    "conversations, activities, objects, or situations)?",
    "Trouble remembering important parts of the stressful experience?",
    "Having strong negative beliefs about yourself, other people, or the world (for example, "
    "having thoughts such as: I am bad, there is something seriously wrong with me, no one can "
    "be trusted, the world is completely dangerous)?",
    "Blaming yourself or someone else for the stressful experience or what happened after it?",
    "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
    "Loss of interest in activities that you used to enjoy?",
    "Feeling distant or cut off from other people?",
    "Trouble experiencing positive feelings (for example, being unable to feel happiness or "
    "have loving feelings for people close to you)?",
    "Irritable behavior, angry outbursts, or acting aggressively?",
    "Taking too many risks or doing things that could cause you harm?",
    'Being "superalert" or watchful or on guard?',
    "Feeling jumpy or easily startled?",
    "Having difficulty concentrating?",
    "Trouble falling or staying asleep?",
)
PCL5_OPTIONS_EN = ("Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely")
# French: the French-Canadian PCL-5 validated by Ashbaugh, Houle-Johnson, Herbert, El-Hage &
# Brunet 2016, PLoS ONE 11(10):e0161645, as reproduced by research forms (Goupile); not yet
# checked against the article's supplementary file itself.
PCL5_PROMPT_FR = "Dans le dernier mois, dans quelle mesure avez-vous été affecté par :"
PCL5_ITEMS_FR = (
    "Des souvenirs répétés, pénibles et involontaires de l'expérience stressante ?",
    "Des rêves répétés et pénibles de l'expérience stressante ?",
    "Se sentir ou agir soudainement comme si vous viviez à nouveau l'expérience stressante ?",
    "Se sentir mal quand quelque chose vous rappelle l'événement ?",
    "Avoir de fortes réactions physiques lorsque quelque chose vous rappelle "
    "l'événement (accélération cardiaque, difficulté respiratoire, "
    "sudation) ?",
    "Essayer d'éviter les souvenirs, pensées, et sentiments liés à l'événement ?",
    "Essayer d'éviter les personnes et les choses qui vous rappellent l'expérience "
    "stressante (lieux, personnes, activités, objets) ?",
    "Des difficultés à vous rappeler des parties importantes de l'événement ?",
    "Des croyances négatives sur vous-même, les autres, le monde (des croyances "
    "comme : je suis mauvais, j'ai quelque chose qui cloche, je ne peux avoir confiance en "
    "personne, le monde est dangereux) ?",
    "Vous blâmer ou blâmer quelqu'un d'autre pour l'événement ou ce qui s'est produit ensuite ?",
    "Avoir des sentiments négatifs intenses tels que peur, horreur, colère, "
    "culpabilité, ou honte ?",
    "Perdre de l'intérêt pour des activités que vous aimiez auparavant ?",
    "Vous sentir distant ou coupé des autres ?",
    "Avoir du mal à éprouver des sentiments positifs (par exemple être incapable "
    "de ressentir de la joie ou de l'amour envers vos proches) ?",
    "Comportement irritable, explosions de colère, ou agir agressivement ?",
    "Prendre des risques inconsidérés ou encore avoir des conduites qui pourraient "
    "vous mettre en danger ?",
    "Être en état de « super-alerte », hyper vigilant ou sur vos gardes ?",
    "Sursauter facilement ?",
    "Avoir du mal à vous concentrer ?",
    "Avoir du mal à trouver le sommeil ou à rester endormi ?",
)
PCL5_OPTIONS_FR = ("Pas du tout", "Un peu", "Modérément", "Beaucoup", "Extrêmement")

# --- AUDIT -------------------------------------------------------------------------------
# English: Babor, Higgins-Biddle, Saunders & Monteiro 2001, AUDIT: Guidelines for Use in
# Primary Care, 2nd ed., WHO/MSD/MSB/01.6a, Box 4 (interview version: no common prompt).
# No French: no WHO-published French AUDIT could be confirmed, and the French versions in
# circulation (France, Switzerland, Quebec) differ from one another in wording.
AUDIT_ITEMS_EN = (
    "How often do you have a drink containing alcohol?",
    "How many drinks containing alcohol do you have on a typical day when you are drinking?",
    "How often do you have six or more drinks on one occasion?",
    "How often during the last year have you found that you were not able to stop drinking "
    "once you had started?",
    "How often during the last year have you failed to do what was normally expected from you "
    "because of drinking?",
    "How often during the last year have you needed a first drink in the morning to get "
    "yourself going after a heavy drinking session?",
    "How often during the last year have you had a feeling of guilt or remorse after drinking?",
    "How often during the last year have you been unable to remember what happened the night "
    "before because you had been drinking?",
    "Have you or someone else been injured as a result of your drinking?",
    "Has a relative or friend or a doctor or another health worker been concerned about your "
    "drinking or suggested you cut down?",
)
AUDIT_FREQUENCY_EN = (  # item 1
    "Never",
    "Monthly or less",
    "2 to 4 times a month",
    "2 to 3 times a week",
    "4 or more times a week",
)
AUDIT_QUANTITY_EN = ("1 or 2", "3 or 4", "5 or 6", "7, 8, or 9", "10 or more")  # item 2
AUDIT_OCCASIONS_EN = (  # items 3 to 8
    "Never",
    "Less than monthly",
    "Monthly",
    "Weekly",
    "Daily or almost daily",
)
AUDIT_HARM_EN = ("No", "Yes, but not in the last year", "Yes, during the last year")  # 9, 10

# --- DUDIT -------------------------------------------------------------------------------
# English: Berman, Bergman, Palmstierna & Schlyter 2003, DUDIT Manual v1.0, Karolinska
# Institutet, Appendix 1 (the form's "see list of drugs on back side" note is not carried).
# No French: no French DUDIT published by the authors could be found.
DUDIT_PROMPT_EN = (
    "Here are a few questions about drugs. Please answer as correctly and honestly as possible "
    "by indicating which answer is right for you."
)
DUDIT_ITEMS_EN = (
    "How often do you use drugs other than alcohol?",
    "Do you use more than one type of drug on the same occasion?",
    "How many times do you take drugs on a typical day when you use drugs?",
    "How often are you influenced heavily by drugs?",
    "Over the past year, have you felt that your longing for drugs was so strong that you could "
    "not resist it?",
    "Has it happened, over the past year, that you have not been able to stop taking drugs once "
    "you started?",
    "How often over the past year have you taken drugs and then neglected to do something you "
    "should have done?",
    "How often over the past year have you needed to take a drug the morning after heavy drug "
    "use the day before?",
    "How often over the past year have you had guilt feelings or a bad conscience because you "
    "used drugs?",
    "Have you or anyone else been hurt (mentally or physically) because you used drugs?",
    "Has a relative or a friend, a doctor or a nurse, or anyone else, been worried about your "
    "drug use or said to you that you should stop using drugs?",
)
DUDIT_FREQUENCY_EN = (  # items 1 and 2
    "Never",
    "Once a month or less often",
    "2-4 times a month",
    "2-3 times a week",
    "4 times a week or more often",
)
DUDIT_TIMES_EN = ("0", "1-2", "3-4", "5-6", "7 or more")  # item 3
DUDIT_INTENSITY_EN = (  # items 4 to 9
    "Never",
    "Less often than once a month",
    "Every month",
    "Every week",
    "Daily or almost every day",
)
DUDIT_HARM_EN = ("No", "Yes, but not over the past year", "Yes, over the past year")  # 10, 11
