"""Word lists the name, address and keyword recognizers use (pure data, shipped in the package).

Chinese surnames: the most common single and compound surnames (together well over 90 % of the
population); English given names: common US/UK first names; places: provinces, municipalities and
large cities of mainland China; keywords for PIPL Art. 28 sensitive personal information.
"""

from __future__ import annotations

CN_SURNAMES_SINGLE = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞"
    "颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇"
    "栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
CN_SURNAMES_COMPOUND = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
    ]
)
#: Characters that end a Chinese given name in running text (function words, punctuation).
CN_NAME_STOP_CHARS = frozenset("的是在和与及说称于向给被把将也都就了，。、；：！？（）()“”\"' ,.:;!?0123456789")
#: Words that follow a name and are not part of it.
CN_NAME_STOP_WORDS = (
    "手机", "电话", "邮箱", "身份", "住址", "家住", "地址", "联系", "先生", "女士", "同志", "老师", "医生", "经理",
    "主任", "护士", "教授", "律师", "患者", "同学", "今年", "现年", "年龄", "性别", "出生", "银行", "账户", "卡号",
    "车牌", "护照", "工号", "本人", "签字", "确认", "表示", "来自", "已经", "目前", "先后", "女儿", "儿子", "母亲",
    "反馈", "来电", "投诉", "咨询", "申请", "办理", "提交", "报名", "购买", "反映", "认为", "提出", "签署", "签收",
    "入住", "就诊", "住院", "确诊", "患有", "登记", "告诉", "发现", "要求", "希望", "需要", "驾驶", "乘坐", "通过",
)  # fmt: skip
#: Words just before a name that make it one (titles and roles).
CN_NAME_CONTEXT_BEFORE = (
    "客户", "用户", "患者", "病人", "联系人", "姓名", "员工", "职工", "学生", "投保人", "被保险人", "申请人", "借款人",
    "收件人", "寄件人", "持卡人", "户主", "法人", "负责人", "经办人", "业主", "租客", "乘客", "会员", "同学", "老师",
    "医生", "经理", "主任", "先生", "女士", "我叫", "名叫", "叫做", "本人", "委托人", "代理人", "家属", "监护人",
    "车主", "房主", "店主", "买家", "卖家", "司机", "作者", "董事长", "总经理", "法定代表人", "当事人", "嫌疑人",
    "被告", "原告", "证人", "教师", "护士", "工程师", "签收人", "报案人", "举报人", "投诉人", "股东",
)  # fmt: skip
CN_NAME_CONTEXT_AFTER = (
    "先生", "女士", "同志", "老师", "医生", "经理", "主任", "护士", "教授", "律师", "的手机", "的电话", "的邮箱",
    "的身份证", "的地址", "的住址", "的银行", "的账户", "的车牌", "的护照", "（身份证", "(身份证", "，身份证",
    "，手机", "，电话", "，男", "，女", "，住", "，联系", "的联系", "，现住", "，家住", "，年", "，出生",
)  # fmt: skip

EN_GIVEN_NAMES = frozenset(
    """James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark
    Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
    Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond
    Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian
    Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel
    Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Oliver
    Harry Liam Lucas Leo Oscar Charlie Freddie Alfie Archie Theo Mary Patricia Jennifer Linda Elizabeth Barbara Susan
    Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy
    Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole
    Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce
    Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria
    Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn
    Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Amelia Isla Ava Mia Ella
    Lily Chloe Ruby Poppy Freya Wei Li Ming Hui Jun Lei Yan Xin Hao Jing Tao Peng""".split()
)
#: Capitalised words that follow a given name but are not surnames (streets, organisations, months).
EN_NOT_SURNAMES = frozenset(
    """Street Avenue Road Lane Drive Court Way Place Boulevard Park Square Hill Bank Group Inc Ltd Co Company Corp
    University College School Hospital Center Centre Road January February March April May June July August September
    October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Airlines Bay Bridge Card Visa
    Mastercard Account The And Of""".split()
)
EN_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Madam")

CN_PROVINCES = tuple(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
    "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门".split()
)
CN_CITIES = tuple(
    "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 南京 苏州 无锡 常州 徐州 南通 扬州 广州 深圳 珠海 东莞 "
    "佛山 成都 武汉 西安 长沙 郑州 济南 青岛 合肥 福州 厦门 南昌 昆明 贵阳 南宁 沈阳 大连 长春 哈尔滨 石家庄 太原 "
    "呼和浩特 兰州 西宁 银川 乌鲁木齐 拉萨 海口 三亚".split()
)
CN_ADDRESS_CONTEXT = tuple("住址 地址 住在 家住 现住 位于 寄往 送至 寄至 居住于 户籍地 收货地址".split())

#: PIPL Art. 28 sensitive personal information, by group: keywords that reveal it in text or column names.
SENSITIVE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "SENSITIVE_HEALTH": tuple(
        "诊断|病历|病史|确诊|患有|住院|手术|处方|用药|过敏史|艾滋病|HIV|乙肝|抑郁症|糖尿病|高血压|肿瘤|癌症|精神病|"
        "传染病|体检报告|化验|diagnosis|diagnosed|medical record|prescription|HIV-positive|cancer|diabetes|"
        "depression".split("|")
    ),
    "SENSITIVE_RELIGION": tuple(
        "宗教信仰|信仰|基督教|天主教|伊斯兰教|佛教徒|道教|穆斯林|religion|religious belief|Christian|Muslim|"
        "Buddhist|Catholic|Jewish".split("|")
    ),
    "SENSITIVE_BIOMETRIC": tuple(
        "指纹|虹膜|声纹|掌纹|人脸|面部特征|基因|DNA|fingerprint|iris scan|voiceprint|facial recognition|"
        "face template|genetic".split("|")
    ),
    "SENSITIVE_FINANCE": tuple(
        "存款|余额|征信|信用记录|贷款|欠款|银行流水|交易记录|收入|工资|年薪|支付密码|银行账户|credit score|"
        "credit report|salary|account balance|loan|debt|income".split("|")
    ),
}
