"""Threads added to the example content by ``bench/search_quality.py``: everyday questions written the
way readers and writers spell them (plurals, accents, hyphenated and joined compounds), and one long
questionnaire thread that mentions a little of everything (the "scattered words" case), and a long
moderator questionnaire whose many replies each answer one question, each next to a short thread whose
opening post asks about the words the questionnaire's replies write one by one (the "long tail" case)."""

from __future__ import annotations

EXTRA: list[tuple[str, str, str, str, list[str], str, list[str]]] = [
    # (slug, theme, lang, title, tags, opening post, replies)
    ("negotiating-salary-for-a-promotion", "carriere", "en", "How do I negotiate my salary for an internal promotion?",
     ["career", "promotion"],
     "I am being promoted to team lead next month. HR sent an offer with a salary raise of 4 %, which seems low "
     "for the new responsibilities. How do you negotiate salary internally without sounding ungrateful?",
     ["Bring market data: salaries for the same role in two or three surveys. Negotiation goes better on facts.",
      "Ask what the salary band is. Negotiating inside a band is easier than asking for an exception."]),
    ("counter-offer-after-resigning", "carriere", "en", "My manager made a counter-offer when I resigned",
     ["career"],
     "I handed in my resignation on Monday and my manager came back with a counter-offer: 10 % more and a new "
     "title. Has anyone accepted a counter-offer and stayed happily?",
     ["I accepted one and left a year later anyway. The reasons I wanted to leave were still there."]),
    ("coworker-takes-credit", "conflits", "en", "A coworker keeps taking credit for my work",
     ["conflict", "communication"],
     "In our weekly review, a coworker presents the analyses I wrote as his own. My manager does not seem to "
     "notice. How do I deal with this coworker without starting a war?",
     ["Put your name on the documents and send the summary yourself, before the review."]),
    ("co-worker-interrupts-me", "conflits", "en", "My co-worker interrupts me in every meeting",
     ["conflict", "communication"],
     "A co-worker on my team talks over me in every meeting. I have tried to finish my sentence, but it makes "
     "things awkward. Should I raise it with him or with our manager?",
     ["Talk to your co-worker first, in private, with one precise example."]),
    ("interview-questions-that-predict-performance", "recrutement", "en",
     "Interview questions that actually predict performance?", ["hiring"],
     "I run many job interviews and I am not sure my questions tell me anything. Which interview questions "
     "have you found to predict how someone will actually perform?",
     ["Work samples beat interviews. If you must interview, ask about a real past situation, in detail.",
      "Structured interviews: the same questions for every candidate, scored on a grid."]),
    ("questions-entretien-d-embauche", "recrutement", "fr", "Quelles questions poser en entretien d’embauche ?",
     ["recrutement", "entretien"],
     "Je recrute mon premier collaborateur. Quelles questions poser en entretien d’embauche pour savoir s’il "
     "saura travailler en équipe ?",
     ["Demandez des situations vécues : « racontez-moi un désaccord avec un collègue »."]),
    ("negocier-son-salaire-lors-d-une-promotion", "carriere", "fr", "Négocier son salaire lors d’une promotion",
     ["carrière", "promotion"],
     "On me propose de devenir responsable d’équipe, avec une augmentation de salaire modeste. Comment négocier "
     "sans paraître ingrat ? Quels arguments fonctionnent dans une négociation salariale interne ?",
     ["Les grilles de salaires de la convention collective sont un bon point d’appui pour négocier."]),
    ("team-survey-forty-questions", "feedback", "en", "Our annual team survey: forty questions about everything",
     ["feedback"],
     "Here is the questionnaire we send every year, for those who asked. 1. Is your salary fair? 2. Do you get "
     "on with every coworker? 3. Was your job interview a good picture of the job? 4. Do you work remote enough? "
     "5. Do you see a promotion path? 6. Are there conflicts in the team? 7. Is your workload sustainable, any "
     "burnout? 8. Do you get feedback from your manager? 9. Is the onboarding of a new hire good? 10. Would you "
     "accept a counter-offer elsewhere? 11. Do you carpool? 12. Do you run or read at lunch? 13. Are meetings "
     "useful? 14. Are priorities clear? 15. Do stand-ups work? And twenty-five more questions on the office, "
     "the canteen, parking, training budgets, equipment and holidays.",
     ["Thanks, we will reuse question 8.", "Forty questions is a lot; ours has twelve.",
      "We added an open question at the end.", "Do you publish the results to the team?"]),
    ("deux-equipes-qui-ne-se-parlent-plus", "conflits", "fr", "Deux équipes qui ne se parlent plus",
     ["conflit", "communication"],
     "Depuis la réorganisation, les équipes produit et support ne se parlent plus qu’en tickets. Les conflits "
     "entre équipes s’enveniment. Comment recréer du lien entre deux équipes ?",
     ["Un rituel commun court, une fois par semaine, avec un sujet concret, a suffi chez nous."]),
    ("manager-micro-management", "feedback", "en", "My manager's micro-management is wearing me down",
     ["feedback", "communication"],
     "My manager checks every email before I send it. The micro-management is wearing me down. How do I ask "
     "for more autonomy?",
     ["Micromanagement often comes from anxiety: offer short, regular updates before they are asked for."]),
    ("qui-paie-le-materiel-en-teletravail", "teletravail", "fr", "Qui paie le matériel en télétravail ?",
     ["télétravail", "frais"],
     "Mon employeur refuse de payer un écran et une chaise pour le télétravail. Est-ce normal ? Qui paie le "
     "matériel quand on travaille de chez soi ?",
     ["L’accord de télétravail de l’entreprise doit le préciser ; demandez-le aux RH."]),
    ("onboarding-a-fully-remote-new-hire", "recrutement", "en", "Onboarding a new hire who is fully remote",
     ["onboarding", "remote-work", "hiring"],
     "My next hire will work fully remote, three time zones away. What does good onboarding look like when "
     "you never meet in person?",
     ["A buddy, a written first-week plan, and daily short calls for the first two weeks."]),
    ("trop-de-reunions-conflits-d-agenda", "charge", "fr", "Trop de réunions : des conflits d’agenda permanents",
     ["charge-de-travail"],
     "Mon agenda est plein de réunions qui se chevauchent. Je passe mes journées à gérer des conflits d’agenda "
     "et je n’ai plus le temps de travailler. Comment reprendre la main ?",
     ["Bloquez des plages de travail dans l’agenda et refusez les réunions sans ordre du jour."]),
    ("denied-a-promotion-how-to-ask-for-feedback", "carriere", "en",
     "I was denied a promotion: how do I ask for feedback?", ["career", "promotion", "feedback"],
     "I applied for the senior role and was turned down without explanation. How do I ask my manager for "
     "feedback on why I was not promoted, without sounding bitter?",
     ["Ask for two concrete things you would need to show to be promoted next time."]),
    ("signs-of-burnout-in-my-team", "charge", "en", "How do I spot the signs of burnout in my team?",
     ["workload"],
     "Two people on my team seem exhausted. What are the early signs of burnout, and what can a manager do "
     "before someone breaks down?",
     ["Watch for changes: someone who stops joking, works later, or snaps in meetings."]),
    ("moderator-questionnaire-how-does-your-team-work", "feedback", "en",
     "Moderator questionnaire: how does your team work?", ["feedback"],
     "A questionnaire from the moderators, to know our readers better. Answer the questions you like, one "
     "reply per question is fine. Thanks to everyone who takes part!",
     ["We are twelve; the training room doubles as a conference room, and our budget for snacks is tiny.",
      "Our manager approved a new laptop for me after a year; training new people is slow with old tools.",
      "Holiday planning is a spreadsheet; requests for the conference room go through the office manager.",
      "The budget meeting is late every year, and night shifts are paid late too.",
      "Our junior colleagues get a mentor; the mentor is approved by the manager, after a slow process.",
      "Conference calls are late at night for us because of time zones; my laptop is old and slow.",
      "Training happens on Fridays; the old printer is slow; holiday requests are approved by the team.",
      "The budget for the team party was approved; the junior staff organised it.",
      "My mentor left; requests for a new one were late; the conference we go to is in June.",
      "We have old chairs, a slow wifi, and a training budget nobody uses; holiday rotas are approved late.",
      "Night work is rare; the junior team handles requests; the budget owner is late to approve anything.",
      "Laptop bags were given at the conference; training videos are old; the mentor programme is slow.",
      "Holiday pay is fine; the late bus is a problem; the junior mentor pairs work well.",
      "Training: none this year. Our old budget spreadsheet is slow to open; requests pile up.",
      "The conference badge printer is old; my laptop was approved; night owls like the late shift.",
      "A junior asked for a mentor; the holiday season is slow; training slots are approved monthly."]),
    ("training-budget-refused-for-a-conference", "carriere", "en",
     "Can I ask my employer to pay for an event in my field?", ["career"],
     "I asked to attend a conference in my field and my manager said the training budget is spent. Is it "
     "reasonable to pay for it myself, or should I push back?",
     ["Ask what the budget will be next quarter and book early."]),
    ("holiday-requests-approved-too-late", "charge", "en", "My days off are always confirmed at the last minute",
     ["workload"],
     "I file my holiday requests two months ahead and they get approved late, a week before, when flights are "
     "expensive. How do I get an answer sooner?",
     ["Propose a deadline: without an answer within ten days, the request counts as approved."]),
    ("my-old-laptop-is-too-slow", "teletravail", "en", "IT will not replace my computer",
     ["remote-work"],
     "My old laptop takes five minutes to start and is slow with two applications open. IT says it is not due "
     "for replacement. How do I argue for a new one?",
     ["Time the slow tasks for a week and show the hours lost."]),
    ("a-mentor-for-a-junior-developer", "recrutement", "en", "Nobody has time for our newest developer",
     ["hiring", "onboarding"],
     "We hired a junior developer and nobody has time to be a mentor. How do you find a mentor for a junior "
     "when the seniors are overloaded?",
     ["Share the role: two seniors, one afternoon each a week."]),
    # scattered over posts, against together in one: each first thread's opening post asks about the
    # query's words together; the second writes one in its title and the others in separate replies
    ("night-shift-asks-for-overtime", "charge", "en", "Staffing nights and weekends in a small warehouse",
     ["workload"],
     "We are twelve people in a small warehouse and the rota is my job. When someone is absent, the people on "
     "the night shift ask to be paid overtime instead of swapping days with a colleague. Is that fair, and how "
     "do other teams handle cover for absences without burning out the same people every month?",
     ["Keep a shared list of who covered last, and rotate."]),
    ("overtime-rules-in-the-new-contract", "charge", "en", "Overtime rules in our new contract",
     ["workload"],
     "The new agreement changes how overtime is counted: weekly instead of daily. Any advice for explaining "
     "it to the team?",
     ["Our night crew took it well once they saw the payslips.",
      "Check the premium clause for each shift pattern.",
      "Print a one-page summary with examples."]),
    ("leave-handover-before-parental-leave", "changement", "en", "Going away for four months: preparing my team",
     ["career"],
     "I start my parental leave in March and I lead a team of six. I need a handover plan: who decides what "
     "while I am away, and how do I make sure the projects keep moving without calling me every week?",
     ["Name one deputy per project and write down what they may decide alone."]),
    ("handover-checklist-when-someone-resigns", "changement", "en", "A handover checklist when someone resigns",
     ["career"],
     "Our best analyst resigned and has three weeks left. What goes into a good handover checklist?",
     ["Access rights, passwords in the vault, and a list of contacts.",
      "When I came back from parental duties, nothing was written down.",
      "Two weeks of leave in the middle made it harder."]),
    ("covoiturage-avec-des-horaires-decales", "covoiturage", "fr",
     "Partager la voiture quand on ne finit pas à la même heure",
     ["covoiturage"],
     "Nous sommes quatre à venir du même village, mais nos horaires sont décalés : deux finissent à 16 h, deux "
     "à 19 h. Le covoiturage tient-il quand même, avec un retour en bus pour certains, ou faut-il renoncer ?",
     ["Nous alternons les semaines : celui qui finit tard prend sa voiture."]),
    ("horaires-d-ete-au-bureau", "covoiturage", "fr", "Horaires décalés pendant l'été",
     ["covoiturage"],
     "L'été, le bureau ouvre de 7 h à 15 h. Comment l'annoncer sans froisser ceux qui préfèrent l'après-midi ?",
     ["Chez nous, le covoiturage du matin en a profité.",
      "Demandez l'avis de chacun avant de fixer les horaires.",
      "Un sondage suffit."]),
    ("objectifs-a-fixer-lors-de-l-entretien-annuel", "feedback", "fr", "Mon premier bilan avec une collaboratrice",
     ["feedback"],
     "Je mène pour la première fois l'entretien annuel d'une collaboratrice. Comment fixer des objectifs "
     "réalistes pour l'année, et que faire de ceux de l'an dernier qu'elle n'a pas atteints ?",
     ["Partez de ce qu'elle veut apprendre cette année."]),
    ("objectifs-trimestriels-du-service", "feedback", "fr", "Des objectifs trimestriels pour tout le service",
     ["feedback"],
     "Nous passons à des objectifs par trimestre. Faut-il les afficher pour tout le service ?",
     ["Oui, et revoyez-les à chaque entretien individuel.",
      "Un bilan annuel ne suffit plus.",
      "Affichez-les sur le mur du couloir."]),
]
