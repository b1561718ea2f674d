"""The 2022 guide's benefit names and glossary, tier descriptions and agreement summaries in the program's
other four languages (the English is benefits/program_2022.py). Terms follow locale/glossary.md: "Build",
tier names, product and event names stay as the program writes them.

Plain data, written into the per-language columns of django-modeltranslation by ``load_program_year`` and
by the data migration benefits 0011; an admin edits them afterwards like any other program data. The English
agreement text is the one a partner accepts; these are its translations for reading.
"""

import re

LANGUAGES = ("fr", "ja", "pt-br", "es")

# (name, glossary text) per benefit code.
BENEFITS = {
    "fr": {
        "build-community": (
            "Accès à la communauté Build",
            "Des ressources et des outils pour chaque étape du parcours partenaire : cours de certification, "
            "enregistrement d'opportunités, gestion des opportunités Twilio et supports de mise sur le marché."),
        "deal-registration": (
            "Enregistrement d'opportunités",
            "Récompense les partenaires qui apportent de manière proactive à Twilio de nouvelles opportunités et de "
            "nouveaux comptes, en les associant aux équipes commerciales, aux spécialistes techniques et aux "
            "services professionnels de Twilio."),
        "certification-training": (
            "Programme de certification et de formation",
            "Des programmes de certification et de formation Twilio Build en ligne, à suivre à votre rythme, pour "
            "les équipes commerciales, d'ingénierie, de développement et de support ; l'accès aux contenus dépend "
            "du niveau."),
        "delivery-assurance-discounts": (
            "Remises sur l'assurance de livraison partenaire",
            "Une offre d'assurance de livraison partenaire à tarif réduit : des experts de l'équipe des services "
            "professionnels de Twilio vous aident à identifier et à atténuer les risques d'intégration."),
        "digital-marketing": (
            "Marketing numérique",
            "Faites la promotion d'un service ou d'une solution Twilio par des articles de blog, des campagnes "
            "d'e-mailing, des événements organisés par le partenaire ou sur les réseaux sociaux."),
        "showcase-listing": (
            "Fiche vitrine",
            "Les partenaires Bronze, Silver, Gold et Global Strategic sont invités à créer une fiche dans la "
            "vitrine Twilio pour présenter leurs services et leurs produits à des clients potentiels."),
        "virtual-event-toolkit": (
            "Kit pour événements virtuels",
            "Un kit complet, inspiré des campagnes à succès menées par Twilio, pour organiser des événements "
            "virtuels."),
        "tier-badge": (
            "Badge de niveau Build",
            "Affichez votre badge de niveau Build sur votre site web et vos autres supports marketing, en "
            "respectant la charte graphique des partenaires."),
        "joint-account-mapping": (
            "Cartographie conjointe des comptes",
            "Une cartographie conjointe des comptes avec Crossbeam : rapprochez vos relations clients des "
            "opportunités commerciales de Twilio, en échangeant avec un responsable de compte partenaire."),
        "flex-implementation-offering": (
            "Offre de mise en œuvre Flex",
            "Jusqu'à cinq licences Flex gratuites à l'usage du partenaire lorsqu'un client fait appel à ses "
            "services professionnels pour mettre en œuvre Flex."),
        "poc-cofunding": (
            "Éligible au cofinancement POC",
            "Le programme de preuve de concept (POC) co-investit en numéraire dans des projets clients stratégiques "
            "fondés sur Twilio. Les partenaires Silver et au-delà proposent un projet ; les partenaires Bronze de "
            "certaines régions, sur invitation."),
        "mdf-cofunding": (
            "Éligible au cofinancement MDF",
            "Les fonds de développement marketing (MDF) co-investissent dans des actions marketing qui suscitent "
            "l'intérêt des clients, font connaître le partenariat et alimentent le pipeline."),
        "demo-environment": (
            "Accès à l'environnement de démonstration Twilio",
            "Une série d'apprentissage « démontrer comme Twilio » et l'utilisation de l'environnement de "
            "démonstration interne de Twilio pendant vos actions de développement commercial ; parlez-en à votre "
            "PAM."),
        "global-events": (
            "Événements mondiaux organisés par Twilio",
            "Participez aux événements Twilio (Engage Everywhere, Twilio Talks, SIGNAL) et invitez-y vos clients."),
        "partner-account-manager": (
            "Responsable de compte partenaire",
            "Votre PAM est votre interlocuteur principal : il vous aide à planifier votre activité et soutient vos "
            "opportunités commerciales."),
        "contact-center-licenses": (
            "Licences de centre de contact pour partenaires",
            "Des licences Flex nominatives gratuites pour un usage interne ; la dotation dépend du niveau et est "
            "réévaluée à chaque nouvelle année de programme."),
        "managed-services": (
            "Éligible au programme de services managés",
            "L'éligibilité au programme de services managés."),
        "early-beta-access": (
            "Accès anticipé aux versions bêta des produits Twilio",
            "Un accès anticipé aux versions bêta des produits Twilio pour garder une longueur d'avance."),
        "jumpstart-demo-kit": (
            "Kit de démonstration de démarrage rapide",
            "Créez un environnement de démonstration interne (interfaces utilisateur, plugins Flex, intégration "
            "CRM, SSO, Studio, TaskRouter, Functions, Autopilot) pour présenter des solutions fondées sur Twilio."),
        "partner-solution-architect": (
            "Architecte de solutions partenaires",
            "Certains partenaires Silver, Gold et Global Strategic bénéficient d'un architecte de solutions "
            "partenaires de l'équipe de développement des pratiques partenaires."),
        "resell-program": (
            "Éligible au programme de revente",
            "Sur invitation : la gestion de bout en bout du cycle de vie des clients Twilio, avec des conditions de "
            "revente, une tarification client et des outils ; nécessite l'avenant de revente."),
        "engagement-center": (
            "Accès au Twilio Engagement Center",
            "Le centre de briefing exécutif de Twilio à San Francisco, pour les rendez-vous clients à fort enjeu."),
        "business-plan": (
            "Plan d'affaires",
            "Un plan d'affaires conjoint, avec des actions, des objectifs de chiffre d'affaires et des "
            "investissements au service d'objectifs communs."),
        "executive-sponsor": (
            "Sponsor exécutif Twilio",
            "Un sponsor exécutif qui coordonne les équipes commerciales de Twilio et assure un retour "
            "d'information au niveau de la direction."),
        "partner-support-program": (
            "Programme de support partenaire",
            "Assurez le support technique de premier niveau des clients finaux ; nécessite l'avenant de support "
            "partenaire au contrat-cadre de partenariat (Master Partner Agreement)."),
        "segment-promotion": (
            "Promotion des services Segment",
            "La promotion des services Segment de Twilio nécessite la certification commerciale Segment et "
            "l'acceptation du contrat du programme partenaires Segment."),
    },
    "ja": {
        "build-community": (
            "Build コミュニティへのアクセス",
            "パートナージャーニーの各段階に役立つリソースとツールです。認定コース、案件登録、Twilio の商談管理、"
            "市場開拓（Go-to-Market）資料をご利用いただけます。"),
        "deal-registration": (
            "案件登録",
            "新規の商談や顧客を積極的に Twilio に紹介するパートナーに報いる制度です。Twilio の営業、技術"
            "スペシャリスト、プロフェッショナルサービスと連携して案件を進めます。"),
        "certification-training": (
            "認定・トレーニングプログラム",
            "営業、エンジニアリング、開発、サポートの各チームメンバー向けに、オンラインで自分のペースで受講できる "
            "Twilio Build 認定・トレーニングプログラムです。利用できるコンテンツはティアによって異なります。"),
        "delivery-assurance-discounts": (
            "パートナーデリバリーアシュアランス割引",
            "割引価格で利用できるパートナーデリバリーアシュアランスのパッケージです。Twilio のプロフェッショナル"
            "サービスチームの専門家が、統合上のリスクの特定と軽減を支援します。"),
        "digital-marketing": (
            "デジタルマーケティング",
            "ブログ、メールキャンペーン、パートナー主催のイベント、ソーシャルメディアを通じて、Twilio のサービスや"
            "ソリューションを宣伝できます。"),
        "showcase-listing": (
            "ショーケース掲載",
            "Bronze、Silver、Gold、Global Strategic のパートナーは、Twilio ショーケースに掲載ページを作成し、"
            "見込み顧客に自社のサービスや製品を紹介できます。"),
        "virtual-event-toolkit": (
            "バーチャルイベントツールキット",
            "Twilio 主催の成功したキャンペーンをもとにした、バーチャルイベント開催のための総合キットです。"),
        "tier-badge": (
            "Build ティアバッジ",
            "パートナーブランドガイドラインに従って、Build ティアバッジを自社のウェブサイトやその他のマーケティング"
            "資料に掲載できます。"),
        "joint-account-mapping": (
            "共同アカウントマッピング",
            "Crossbeam を使った共同アカウントマッピングです。パートナーアカウントマネージャーと相談しながら、"
            "自社の顧客関係と Twilio の営業商談を照らし合わせます。"),
        "flex-implementation-offering": (
            "Flex 導入支援オファー",
            "顧客がパートナーのプロフェッショナルサービスを利用して Flex を導入する場合に、パートナーが使用できる "
            "Flex ライセンスを最大 5 件無料で提供します。"),
        "poc-cofunding": (
            "POC 共同出資の対象",
            "概念実証（POC）プログラムでは、Twilio を基盤とする戦略的な顧客プロジェクトに資金を共同出資します。"
            "Silver 以上のパートナーはプロジェクトを推薦でき、一部地域の Bronze パートナーは招待制で参加できます。"),
        "mdf-cofunding": (
            "MDF 共同出資の対象",
            "マーケティング開発資金（MDF）は、顧客の関心を高め、パートナーシップの認知度を上げ、パイプラインを"
            "構築するマーケティング活動に共同出資します。"),
        "demo-environment": (
            "Twilio デモ環境へのアクセス",
            "「Twilio のようにデモする」学習シリーズと、事業開発の際に Twilio の社内デモ環境をご利用いただけます。"
            "詳しくは担当の PAM にご相談ください。"),
        "global-events": (
            "Twilio 主催のグローバルイベント",
            "Twilio のイベント（Engage Everywhere、Twilio Talks、SIGNAL）に参加し、顧客を招待できます。"),
        "partner-account-manager": (
            "パートナーアカウントマネージャー",
            "PAM は貴社の主要な窓口として、事業計画の策定や営業商談を支援します。"),
        "contact-center-licenses": (
            "パートナー向けコンタクトセンターライセンス",
            "社内利用のための無料の Flex 指名ユーザーライセンスです。割り当て数はティアによって決まり、新しい"
            "プログラム年度ごとに見直されます。"),
        "managed-services": (
            "マネージドサービスプログラムの対象",
            "マネージドサービスプログラムへの参加資格です。"),
        "early-beta-access": (
            "Twilio 製品のベータ版への早期アクセス",
            "Twilio 製品のベータ版にいち早くアクセスし、一歩先を行くことができます。"),
        "jumpstart-demo-kit": (
            "パートナー向けジャンプスタートデモキット",
            "社内デモ環境（UI フロントエンド、Flex プラグイン、CRM 連携、SSO、Studio、TaskRouter、Functions、"
            "Autopilot）を構築し、Twilio を活用したソリューションを紹介できます。"),
        "partner-solution-architect": (
            "パートナーソリューションアーキテクト",
            "一部の Silver、Gold、Global Strategic パートナーには、パートナープラクティス開発チームから"
            "パートナーソリューションアーキテクトが割り当てられます。"),
        "resell-program": (
            "再販プログラムの対象",
            "招待制：再販条件、顧客向け価格設定、ツールにより、Twilio の顧客のライフサイクルをエンドツーエンドで"
            "担います。再販補足契約が必要です。"),
        "engagement-center": (
            "Twilio Engagement Center の利用",
            "重要な顧客との会議に利用できる、サンフランシスコにある Twilio のエグゼクティブブリーフィングセンターです。"),
        "business-plan": (
            "ビジネスプラン",
            "共同の目標に向けた活動、売上目標、投資を盛り込んだ共同ビジネスプランです。"),
        "executive-sponsor": (
            "Twilio エグゼクティブスポンサー",
            "Twilio の営業チームの足並みをそろえ、経営層レベルでのフィードバックの仕組みを提供するエグゼクティブ"
            "スポンサーです。"),
        "partner-support-program": (
            "パートナーサポートプログラム",
            "エンドカスタマーに一次技術サポートを提供します。マスターパートナー契約（Master Partner Agreement）に"
            "対するパートナーサポート補足契約が必要です。"),
        "segment-promotion": (
            "Segment サービスの販売促進",
            "Twilio の Segment サービスを販売促進するには、Segment 営業認定の取得と Segment パートナープログラム"
            "契約への同意が必要です。"),
    },
    "pt-br": {
        "build-community": (
            "Acesso à comunidade Build",
            "Recursos e ferramentas para cada etapa da jornada do parceiro: cursos de certificação, registro de "
            "oportunidades, gestão de oportunidades da Twilio e materiais de go-to-market."),
        "deal-registration": (
            "Registro de oportunidades",
            "Recompensa os parceiros que trazem proativamente novas oportunidades e contas para a Twilio, "
            "alinhando-os às equipes de vendas, aos especialistas técnicos e aos serviços profissionais da Twilio."),
        "certification-training": (
            "Programa de certificação e treinamento",
            "Programas on-line de certificação e treinamento Twilio Build, no seu ritmo, para membros das equipes "
            "de vendas, engenharia, desenvolvimento e suporte; o acesso ao conteúdo depende do nível."),
        "delivery-assurance-discounts": (
            "Descontos em garantia de entrega para parceiros",
            "Um pacote de garantia de entrega para parceiros com desconto: especialistas da equipe de serviços "
            "profissionais da Twilio ajudam a identificar e mitigar riscos de integração."),
        "digital-marketing": (
            "Marketing digital",
            "Divulgue um serviço ou uma solução da Twilio por meio de blogs, campanhas de e-mail, eventos "
            "promovidos pelo parceiro ou redes sociais."),
        "showcase-listing": (
            "Anúncio na vitrine",
            "Os parceiros Bronze, Silver, Gold e Global Strategic são convidados a criar um anúncio na vitrine da "
            "Twilio para divulgar seus serviços e produtos a potenciais clientes."),
        "virtual-event-toolkit": (
            "Kit de ferramentas para eventos virtuais",
            "Um kit completo, baseado em campanhas de sucesso conduzidas pela Twilio, para realizar eventos "
            "virtuais."),
        "tier-badge": (
            "Selo de nível Build",
            "Divulgue seu selo de nível Build no seu site e em outros materiais de marketing, seguindo as "
            "diretrizes de marca para parceiros."),
        "joint-account-mapping": (
            "Mapeamento conjunto de contas",
            "Mapeamento conjunto de contas via Crossbeam: cruze seus relacionamentos com clientes com as "
            "oportunidades de vendas da Twilio, conversando com um gerente de contas de parceiros."),
        "flex-implementation-offering": (
            "Oferta de implementação do Flex",
            "Até cinco licenças gratuitas do Flex para uso do parceiro quando um cliente contrata os serviços "
            "profissionais do parceiro para implementar o Flex."),
        "poc-cofunding": (
            "Elegível para cofinanciamento de POC",
            "O programa de prova de conceito (POC) coinveste recursos financeiros em projetos estratégicos de "
            "clientes criados com a Twilio. Parceiros Silver ou superiores indicam um projeto; parceiros Bronze de "
            "determinadas regiões participam mediante convite."),
        "mdf-cofunding": (
            "Elegível para cofinanciamento de MDF",
            "Os fundos de desenvolvimento de marketing (MDF) coinvestem em ações de marketing que despertam o "
            "interesse dos clientes, aumentam a visibilidade da parceria e geram pipeline."),
        "demo-environment": (
            "Acesso ao ambiente de demonstração da Twilio",
            "Uma série de aprendizado \"demonstre como a Twilio\" e o uso do ambiente interno de demonstração da "
            "Twilio durante o desenvolvimento de negócios; fale com seu PAM."),
        "global-events": (
            "Eventos globais promovidos pela Twilio",
            "Participe dos eventos da Twilio (Engage Everywhere, Twilio Talks, SIGNAL) e convide seus clientes."),
        "partner-account-manager": (
            "Gerente de contas de parceiros",
            "O PAM é seu principal ponto de contato e ajuda no planejamento de negócios e no apoio às oportunidades "
            "de vendas."),
        "contact-center-licenses": (
            "Licenças de central de atendimento para parceiros",
            "Licenças gratuitas do Flex por usuário nomeado para uso interno; a alocação é definida pelo nível e "
            "reavaliada a cada novo ano do programa."),
        "managed-services": (
            "Elegível para o programa de serviços gerenciados",
            "Elegibilidade para o programa de serviços gerenciados."),
        "early-beta-access": (
            "Acesso antecipado às versões beta dos produtos Twilio",
            "Acesso antecipado às versões beta dos produtos Twilio para você sair na frente."),
        "jumpstart-demo-kit": (
            "Kit de demonstração de início rápido para parceiros",
            "Crie um ambiente interno de demonstração (interfaces de front-end, plugins do Flex, integração com CRM, "
            "SSO, Studio, TaskRouter, Functions, Autopilot) para apresentar soluções baseadas na Twilio."),
        "partner-solution-architect": (
            "Arquiteto de soluções para parceiros",
            "Parceiros Silver, Gold e Global Strategic selecionados contam com um arquiteto de soluções para "
            "parceiros da equipe de desenvolvimento de práticas de parceiros."),
        "resell-program": (
            "Elegível para o programa de revenda",
            "Somente por convite: gestão de ponta a ponta do ciclo de vida dos clientes da Twilio, com condições de "
            "revenda, preços para clientes e ferramentas; exige o aditivo de revenda."),
        "engagement-center": (
            "Acesso ao Twilio Engagement Center",
            "O centro de briefings executivos da Twilio em São Francisco, para reuniões com clientes de alto valor."),
        "business-plan": (
            "Plano de negócios",
            "Um plano de negócios conjunto com atividades, metas de receita e investimentos em objetivos comuns."),
        "executive-sponsor": (
            "Patrocinador executivo da Twilio",
            "Um patrocinador executivo que alinha as equipes de vendas da Twilio e oferece um canal de feedback no "
            "nível executivo."),
        "partner-support-program": (
            "Programa de suporte para parceiros",
            "Ofereça suporte técnico de primeiro nível aos clientes finais; exige o aditivo de suporte para "
            "parceiros ao Contrato Master de Parceria (Master Partner Agreement)."),
        "segment-promotion": (
            "Promoção dos serviços Segment",
            "Para promover os serviços Segment da Twilio, é necessário ter a certificação de vendas Segment e "
            "aceitar o Contrato do Programa de Parceiros Segment."),
    },
    "es": {
        "build-community": (
            "Acceso a la comunidad Build",
            "Recursos y herramientas para cada etapa del recorrido del socio: cursos de certificación, registro de "
            "oportunidades, gestión de oportunidades de Twilio y materiales de comercialización."),
        "deal-registration": (
            "Registro de oportunidades",
            "Recompensa a los socios que aportan de forma proactiva nuevas oportunidades y cuentas a Twilio, y los "
            "coordina con los equipos de ventas, los especialistas técnicos y los servicios profesionales de "
            "Twilio."),
        "certification-training": (
            "Programa de certificación y formación",
            "Programas de certificación y formación Twilio Build en línea y a su propio ritmo para los miembros de "
            "los equipos de ventas, ingeniería, desarrollo y soporte; el acceso al contenido depende del nivel."),
        "delivery-assurance-discounts": (
            "Descuentos en garantía de entrega para socios",
            "Un paquete de garantía de entrega para socios con descuento: expertos del equipo de servicios "
            "profesionales de Twilio le ayudan a identificar y mitigar los riesgos de integración."),
        "digital-marketing": (
            "Marketing digital",
            "Promocione un servicio o una solución de Twilio mediante blogs, campañas de correo electrónico, "
            "eventos organizados por el socio o redes sociales."),
        "showcase-listing": (
            "Ficha en el escaparate",
            "Los socios Bronze, Silver, Gold y Global Strategic están invitados a crear una ficha en el escaparate "
            "de Twilio para dar a conocer sus servicios y productos a clientes potenciales."),
        "virtual-event-toolkit": (
            "Kit de herramientas para eventos virtuales",
            "Un kit completo, basado en campañas de éxito dirigidas por Twilio, para organizar eventos virtuales."),
        "tier-badge": (
            "Insignia de nivel Build",
            "Muestre su insignia de nivel Build en su sitio web y en otros materiales de marketing, siguiendo las "
            "directrices de marca para socios."),
        "joint-account-mapping": (
            "Mapeo conjunto de cuentas",
            "Mapeo conjunto de cuentas con Crossbeam: cruce sus relaciones con clientes con las oportunidades de "
            "venta de Twilio, hablando con un gerente de cuenta de socios."),
        "flex-implementation-offering": (
            "Oferta de implementación de Flex",
            "Hasta cinco licencias gratuitas de Flex para uso del socio cuando un cliente contrata los servicios "
            "profesionales del socio para implementar Flex."),
        "poc-cofunding": (
            "Apto para cofinanciación de POC",
            "El programa de prueba de concepto (POC) coinvierte fondos en proyectos estratégicos de clientes "
            "desarrollados con Twilio. Los socios Silver o superiores proponen un proyecto; los socios Bronze de "
            "determinadas regiones, por invitación."),
        "mdf-cofunding": (
            "Apto para cofinanciación de MDF",
            "Los fondos de desarrollo de marketing (MDF) coinvierten en acciones de marketing que generan interés "
            "entre los clientes, dan a conocer la alianza y crean pipeline."),
        "demo-environment": (
            "Acceso al entorno de demostración de Twilio",
            "Una serie formativa «haga demos como Twilio» y el uso del entorno de demostración interno de Twilio "
            "durante el desarrollo de negocio; consulte a su PAM."),
        "global-events": (
            "Eventos globales organizados por Twilio",
            "Participe en los eventos de Twilio (Engage Everywhere, Twilio Talks, SIGNAL) e invite a sus clientes."),
        "partner-account-manager": (
            "Gerente de cuenta de socios",
            "Su PAM es su principal punto de contacto y le ayuda con la planificación del negocio y el apoyo a las "
            "oportunidades de venta."),
        "contact-center-licenses": (
            "Licencias de centro de contacto para socios",
            "Licencias gratuitas de Flex por usuario nominal para uso interno; la asignación depende del nivel y se "
            "revisa en cada nuevo año del programa."),
        "managed-services": (
            "Apto para el programa de servicios gestionados",
            "Posibilidad de participar en el programa de servicios gestionados."),
        "early-beta-access": (
            "Acceso anticipado a las versiones beta de los productos de Twilio",
            "Acceso anticipado a las versiones beta de los productos de Twilio para ir un paso por delante."),
        "jumpstart-demo-kit": (
            "Kit de demostración de inicio rápido para socios",
            "Cree un entorno de demostración interno (interfaces de usuario, plugins de Flex, integración con CRM, "
            "SSO, Studio, TaskRouter, Functions, Autopilot) para mostrar soluciones basadas en Twilio."),
        "partner-solution-architect": (
            "Arquitecto de soluciones para socios",
            "Determinados socios Silver, Gold y Global Strategic cuentan con un arquitecto de soluciones para "
            "socios del equipo de desarrollo de prácticas de socios."),
        "resell-program": (
            "Apto para el programa de reventa",
            "Solo por invitación: gestión integral del ciclo de vida de los clientes de Twilio, con condiciones de "
            "reventa, precios para clientes y herramientas; requiere la adenda de reventa."),
        "engagement-center": (
            "Acceso al Twilio Engagement Center",
            "El centro de reuniones ejecutivas de Twilio en San Francisco, para reuniones con clientes de alto "
            "valor."),
        "business-plan": (
            "Plan de negocio",
            "Un plan de negocio conjunto con actividades, objetivos de ingresos e inversiones en metas comunes."),
        "executive-sponsor": (
            "Patrocinador ejecutivo de Twilio",
            "Un patrocinador ejecutivo que coordina a los equipos de ventas de Twilio y ofrece un canal de "
            "comunicación a nivel directivo."),
        "partner-support-program": (
            "Programa de soporte para socios",
            "Preste soporte técnico de primer nivel a los clientes finales; requiere la adenda de soporte para "
            "socios del Contrato Marco de Socios (Master Partner Agreement)."),
        "segment-promotion": (
            "Promoción de los servicios de Segment",
            "Para promocionar los servicios de Segment de Twilio se necesitan la certificación de ventas de Segment "
            "y la aceptación del Contrato del Programa de Socios de Segment."),
    },
}

# "{quantity}" stays as it is: benefits.rules.quantity_text replaces it with the cell's quantity.
QUANTITY_NOTES = {
    "fr": {
        "flex-implementation-offering": "Jusqu'à {quantity} licences Flex gratuites par mise en œuvre client",
        "contact-center-licenses": "{quantity} licences Flex nominatives gratuites pour un usage interne",
    },
    "ja": {
        "flex-implementation-offering": "顧客への導入 1 件につき無料の Flex ライセンス最大 {quantity} 件",
        "contact-center-licenses": "社内利用のための無料の Flex 指名ユーザーライセンス {quantity} 件",
    },
    "pt-br": {
        "flex-implementation-offering": "Até {quantity} licenças gratuitas do Flex por implementação em cliente",
        "contact-center-licenses": "{quantity} licenças gratuitas do Flex por usuário nomeado para uso interno",
    },
    "es": {
        "flex-implementation-offering": "Hasta {quantity} licencias gratuitas de Flex por implementación en cliente",
        "contact-center-licenses": "{quantity} licencias gratuitas de Flex por usuario nominal para uso interno",
    },
}

# Tier descriptions by level (the tiers' names are not translated).
TIER_DESCRIPTIONS = {
    "fr": {
        "registered": "Le point d'entrée de tout nouveau partenaire : accepter le contrat de partenariat.",
        "global_strategic": "Une désignation attribuée par le programme ; elle n'a pas d'exigences publiées.",
    },
    "ja": {
        "registered": "すべての新規パートナーの出発点です。パートナー契約に同意してください。",
        "global_strategic": "プログラムによって付与される指定です。公開された要件はありません。",
    },
    "pt-br": {
        "registered": "O ponto de partida para todos os novos parceiros: aceitar o contrato de parceria.",
        "global_strategic": "Uma designação concedida pelo programa; não tem requisitos publicados.",
    },
    "es": {
        "registered": "El punto de entrada para todos los socios nuevos: aceptar el contrato de socio.",
        "global_strategic": "Una designación que otorga el programa; no tiene requisitos publicados.",
    },
}

# (title, text) per agreement kind, version 2022.1.
AGREEMENTS = {
    "fr": {
        "partner": (
            "Contrat de partenariat",
            "Le contrat de partenariat de base régit l'ensemble de la relation commerciale de coopération entre "
            "Twilio et votre organisation : les conditions de gestion de la relation et les autres aspects "
            "pertinents de l'accord. Chaque partenaire le signe pour rejoindre le programme."),
        "resell_addendum": (
            "Avenant de revente",
            "Les partenaires qualifiés et invités au programme de revente signent cet avenant pour remplir les "
            "exigences du programme de revente."),
        "support_addendum": (
            "Avenant de support partenaire",
            "Un avenant au contrat-cadre de partenariat (Master Partner Agreement) qui fixe toutes les exigences du "
            "programme de support partenaire (support technique de premier niveau des clients finaux)."),
        "segment": (
            "Contrat du programme partenaires Segment",
            "Requis en 2022 pour accéder à la plateforme Segment et créer un compte de démonstration. Les comptes de "
            "démonstration ne doivent pas servir en production et ne s'utilisent qu'avec des données fictives hors "
            "production. Les conditions partenaires de Segment sont subordonnées aux conditions d'utilisation "
            "partenaires de Twilio (Twilio Partner Terms of Service)."),
    },
    "ja": {
        "partner": (
            "パートナー契約",
            "パートナー基本契約は、Twilio と貴社との協力的なビジネス関係全体を規定するもので、関係の管理に関する"
            "条件およびその他の関連事項を定めています。プログラムに参加するすべてのパートナーがこの契約に署名します。"),
        "resell_addendum": (
            "再販補足契約",
            "再販プログラムの資格を満たし招待されたパートナーは、再販プログラムの要件を満たすためにこの補足契約に"
            "署名します。"),
        "support_addendum": (
            "パートナーサポート補足契約",
            "マスターパートナー契約（Master Partner Agreement）に対する補足契約で、パートナーサポートプログラム"
            "（エンドカスタマーへの一次技術サポート）のすべての要件を定めています。"),
        "segment": (
            "Segment パートナープログラム契約",
            "2022 年に Segment のプラットフォームを利用し、デモ用アカウントを設定するために必要です。デモ用"
            "アカウントは本番環境に使用してはならず、本番以外のダミーデータでのみ使用できます。Segment のパートナー"
            "条件は、Twilio パートナー利用規約（Twilio Partner Terms of Service）に従属します。"),
    },
    "pt-br": {
        "partner": (
            "Contrato de parceria",
            "O contrato de parceria básico rege toda a relação comercial de cooperação entre a Twilio e sua "
            "organização: os termos de gestão da relação e outros aspectos relevantes do acordo. Todo parceiro o "
            "assina para participar do programa."),
        "resell_addendum": (
            "Aditivo de revenda",
            "Os parceiros qualificados e convidados para o programa de revenda assinam este aditivo para cumprir os "
            "requisitos do programa de revenda."),
        "support_addendum": (
            "Aditivo de suporte para parceiros",
            "Um aditivo ao Contrato Master de Parceria (Master Partner Agreement) que estabelece todos os requisitos "
            "do programa de suporte para parceiros (suporte técnico de primeiro nível aos clientes finais)."),
        "segment": (
            "Contrato do programa de parceiros Segment",
            "Obrigatório em 2022 para acessar a plataforma da Segment e configurar uma conta de demonstração. As "
            "contas de demonstração não podem ser usadas em produção e só podem ser usadas com dados fictícios, fora "
            "de produção. Os termos para parceiros da Segment estão subordinados aos Termos de Serviço para "
            "Parceiros da Twilio (Twilio Partner Terms of Service)."),
    },
    "es": {
        "partner": (
            "Contrato de socio",
            "El contrato básico de socio rige toda la relación comercial de cooperación entre Twilio y su "
            "organización: los términos de gestión de la relación y otros aspectos relevantes del acuerdo. Todos "
            "los socios lo firman para unirse al programa."),
        "resell_addendum": (
            "Adenda de reventa",
            "Los socios cualificados e invitados al programa de reventa firman esta adenda para completar los "
            "requisitos del programa de reventa."),
        "support_addendum": (
            "Adenda de soporte para socios",
            "Una adenda al Contrato Marco de Socios (Master Partner Agreement) que establece todos los requisitos "
            "del programa de soporte para socios (soporte técnico de primer nivel a los clientes finales)."),
        "segment": (
            "Contrato del programa de socios de Segment",
            "Obligatorio en 2022 para acceder a la plataforma de Segment y configurar una cuenta de demostración. "
            "Las cuentas de demostración no deben usarse en producción y solo con datos ficticios que no sean de "
            "producción. Los términos para socios de Segment están subordinados a los Términos de Servicio para "
            "Socios de Twilio (Twilio Partner Terms of Service)."),
    },
}


def _french_spacing(text):
    """French sets a no-break space before : ; ? ! and inside « »; written here as plain spaces."""
    text = re.sub(r" ([:;?!»])", "\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


def _typeset(texts):
    return {
        language: {key: (tuple(map(_french_spacing, value)) if isinstance(value, tuple) else _french_spacing(value))
                   for key, value in by_key.items()} if language == "fr" else by_key
        for language, by_key in texts.items()
    }


BENEFITS = _typeset(BENEFITS)
QUANTITY_NOTES = _typeset(QUANTITY_NOTES)
TIER_DESCRIPTIONS = _typeset(TIER_DESCRIPTIONS)
AGREEMENTS = _typeset(AGREEMENTS)


def column(field, language):
    """The per-language column of a translated field: ("name", "pt-br") → "name_pt_br"."""
    return f"{field}_{language.replace('-', '_')}"
