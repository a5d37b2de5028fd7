"""Names for the demo: units by sector, people, and valid 统一社会信用代码.

Public bodies (bureaus, schools, universities, hospitals, banks, associations) carry their real
names, as on the published honor rolls; companies are invented from common trade names, so that
no real company is shown with an amount it never gave (the amounts are the demo's own).
"""

from dataclasses import dataclass

from donations.validators import credit_code_check_char

DISTRICTS = ("珠晖", "雁峰", "石鼓", "蒸湘", "南岳")
URBAN_DISTRICTS = DISTRICTS[:4]  # 南岳 is the mountain district, away from the city centre
# 行政区划代码 of the city and its districts: positions 3-8 of a credit code.
DIVISION_CODES = {
    "": "430400",  # the city itself
    "珠晖": "430405",
    "雁峰": "430406",
    "石鼓": "430407",
    "蒸湘": "430408",
    "南岳": "430412",
}

STREETS = (
    "东风路", "广东路", "冶金街", "苗圃", "粤汉", "酃湖", "先锋路", "天马山", "白沙洲", "金龙坪",
    "黄茶岭", "人民路", "青山", "五一路", "潇湘", "合江", "红湘", "联合", "呆鹰岭", "雨母山",
    "解放路", "环城南路", "蒸湘南路", "华新", "立新", "衡州", "育贤", "船山", "湘江", "岳屏",
)  # fmt: skip
TRADE_NAMES = (
    "恒昌", "宏远", "鑫达", "华源", "金盛", "正和", "永安", "湘南", "雁城", "蒸水", "耒水", "回雁",
    "岳屏", "衡岳", "祝融", "东洲", "来雁", "紫云", "华庭", "广利", "兴旺", "嘉禾", "天泽", "瑞丰",
    "恒通", "润达", "中联", "泰和", "远景", "佳美", "凯旋", "明德", "博远", "新宇", "宏图", "锦绣",
    "华盛", "德顺", "安达", "利民", "康泰", "福瑞", "鸿运", "金桥", "长兴", "联创", "三友", "众诚",
    "百汇", "万通", "立信", "同心", "荣昌", "精诚", "信达", "湘衡", "云锦", "景和", "承启", "益众",
)  # fmt: skip


@dataclass(frozen=True)
class Companies:
    """Invented company names: place + trade name + industry + legal form."""

    industries: tuple
    forms: tuple = ("有限公司", "有限公司", "有限责任公司")
    places: tuple = ("衡阳", "衡阳市", "湖南")
    first: tuple = ()  # real public bodies that lead the group (the 管委会, the association)

    def candidates(self, rng):
        yield from self.first
        while True:
            yield (
                rng.choice(self.places)
                + rng.choice(TRADE_NAMES)
                + rng.choice(self.industries)
                + (rng.choice(self.forms))
            )


@dataclass(frozen=True)
class UnitGroup:
    """Units of one sector (and branch): `in_2023` gave in 2023, `only_2022` gave only in 2022."""

    sector: str
    branch: str | None
    in_2023: int
    only_2022: int
    names: tuple | Companies

    @property
    def size(self):
        return self.in_2023 + self.only_2022


def per_district(template, districts=DISTRICTS):
    return tuple(template.format(d=d) for d in districts)


CITY_OFFICES = (
    "中共衡阳市委办公室", "衡阳市人民政府办公室", "衡阳市人大常委会办公室", "政协衡阳市委员会办公室",
    "中共衡阳市纪律检查委员会", "中共衡阳市委组织部", "中共衡阳市委宣传部", "中共衡阳市委统一战线工作部",
    "中共衡阳市委政法委员会", "中共衡阳市委政策研究室", "中共衡阳市委机构编制委员会办公室",
    "中共衡阳市委市直机关工作委员会", "中共衡阳市委党校", "中共衡阳市委老干部局", "中共衡阳市委党史研究室",
    "中共衡阳市委网络安全和信息化委员会办公室", "衡阳市发展和改革委员会", "衡阳市财政局", "衡阳市审计局",
    "衡阳市统计局", "衡阳市自然资源和规划局", "衡阳市生态环境局", "衡阳市交通运输局", "衡阳市水利局",
    "衡阳市农业农村局", "衡阳市商务局", "衡阳市工业和信息化局", "衡阳市科学技术局", "衡阳市应急管理局",
    "衡阳市退役军人事务局", "衡阳市林业局", "衡阳市城市管理和综合执法局", "衡阳市医疗保障局",
    "衡阳市机关事务管理局", "衡阳市信访局", "衡阳市档案馆", "衡阳市总工会", "共青团衡阳市委员会",
    "衡阳市妇女联合会", "衡阳市科学技术协会", "衡阳市文学艺术界联合会", "衡阳市工商业联合会",
    "衡阳市残疾人联合会", "衡阳市红十字会", "衡阳市人民政府外事办公室", "衡阳市住房公积金管理中心",
    "衡阳市供销合作总社", "衡阳市公共资源交易中心", "衡阳市乡村振兴局", "衡阳市人民防空办公室",
    "衡阳市气象局", "国家税务总局衡阳市税务局", "衡阳海关", "国家统计局衡阳调查队", "衡阳市烟草专卖局",
    "衡阳市邮政管理局", "衡阳市社会主义学院", "衡阳日报社", "衡阳市不动产登记中心", "衡阳市财政事务中心",
    "衡阳市国库集中支付中心", "衡阳市交通运输综合行政执法支队", "衡阳市农业综合行政执法支队",
    "衡阳市城市管理综合执法支队", "衡阳市公路建设养护中心", "衡阳市水文水资源勘测中心",
    "衡阳市农业科学研究所", "衡阳市林业科学研究所", "衡阳市畜牧水产事务中心", "衡阳市机关幼儿园",
    "衡阳市价格认证中心", "衡阳市政府投资评审中心", "衡阳市统计普查中心", "衡阳市农产品质量安全检测中心",
    "衡阳市动物疫病预防控制中心", "衡阳市应急管理综合行政执法支队", "衡阳市科技信息研究所",
    "衡阳市生产力促进中心", "衡阳市地方志编纂室", "衡阳市机关事务服务中心", "衡阳市政务服务中心",
    "衡阳市经济研究中心", "衡阳市大数据中心", "衡阳市生态环境监测站", "衡阳市测绘地理信息中心",
    "衡阳市水利水电工程质量监督站", "衡阳市农业机械化事务中心", "衡阳市东洲岛管理处",
    "衡阳市人工影响天气办公室",
    "衡阳市招商合作事务中心", "衡阳市国防动员办公室", "衡阳市口岸服务中心", "衡阳市会议接待服务中心",
    *per_district("国家税务总局衡阳市{d}区税务局"),
    *per_district("衡阳市自然资源和规划局{d}分局"),
    *per_district("衡阳市生态环境局{d}分局"),
    *per_district("衡阳市城市管理和综合执法局{d}分局"),
    *per_district("衡阳市{d}区人民政府办公室"),
    *per_district("衡阳市{d}区总工会"),
)  # fmt: skip
MILITARY = (
    "衡阳军分区", "武警衡阳支队", "衡阳市消防救援支队", *per_district("衡阳市{d}区人民武装部"),
    "衡阳军分区第一离职干部休养所", "衡阳市军队离退休干部休养所",
)  # fmt: skip
UNIVERSITIES = (
    "南华大学", "衡阳师范学院", "湖南工学院", "湖南交通工程学院", "湖南财经工业职业技术学院",
    "湖南环境生物职业技术学院", "衡阳幼儿师范高等专科学校", "湖南高速铁路职业技术学院", "湖南工商职业学院",
)  # fmt: skip
POLICE = (
    "衡阳市公安局", "衡阳市公安局交通警察支队", *per_district("衡阳市公安局{d}分局"),
    "衡阳市公安局高新技术产业开发区分局", "衡阳市公安局松木经济开发区分局", "衡阳市公安局特警支队",
    "衡阳市公安局刑事侦查支队", "衡阳市公安局治安管理支队", "衡阳市公安局经济犯罪侦查支队",
    "衡阳市公安局网络安全保卫支队", "衡阳市公安局禁毒支队", "衡阳市公安局出入境管理支队",
    "衡阳市公安局技术侦察支队", "衡阳市公安局指挥中心", "衡阳市看守所", "衡阳市拘留所",
    "衡阳市强制隔离戒毒所",
    *(f"衡阳市公安局{d}分局{s}派出所" for d, streets in (
        ("珠晖", ("东风路", "广东路", "冶金", "苗圃", "粤汉", "酃湖")),
        ("雁峰", ("先锋", "天马山", "白沙洲", "雁峰", "金龙坪", "黄茶岭")),
        ("石鼓", ("人民路", "青山", "五一", "潇湘", "合江")),
        ("蒸湘", ("红湘", "联合", "呆鹰岭", "蒸湘", "雨母山")),
        ("南岳", ("南岳镇", "祝融", "寿岳")),
    ) for s in streets),
)  # fmt: skip
STATE_COMPANIES = Companies(
    industries=(
        "城市建设投资", "交通建设投资", "水务投资", "国有资产经营", "公共交通", "城市发展", "产业发展",
        "文化旅游", "工业投资", "港务", "粮食", "燃气", "保障住房", "土地开发", "金融控股", "科技创新",
        "能源", "会展", "农业发展", "路桥建设", "城市运营", "人才发展", "数字产业",
    ),
    forms=("集团有限公司", "有限公司", "投资有限公司", "控股集团有限公司"),
    places=("衡阳市", "衡阳"),
    first=("衡阳市人民政府国有资产监督管理委员会",),
)  # fmt: skip
SCHOOLS = (
    "衡阳市教育局", "衡阳市实验中学", "衡阳市田家炳实验中学", "衡阳市特殊教育学校", "衡阳市职业中等专业学校",
    "衡阳市教育科学研究院", "衡阳市电子信息职业技术学校",
    *(f"衡阳市第{n}中学" for n in (
        "一", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
        "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六",
    )),
    *(f"衡阳市{s}小学" for s in STREETS[:22]),
    *(f"衡阳市{s}幼儿园" for s in ("铁路", "育英", "蒸湘", "雁峰", "珠晖", "石鼓", "实验", "启智")),
)  # fmt: skip
FINANCE = (
    "中国人民银行衡阳市分行", "国家金融监督管理总局衡阳监管分局", "中国工商银行衡阳分行",
    "中国农业银行衡阳分行", "中国银行衡阳分行", "中国建设银行衡阳市分行", "交通银行衡阳分行",
    "中国邮政储蓄银行衡阳市分行", "湖南银行衡阳分行", "长沙银行衡阳分行", "中信银行衡阳分行",
    "中国光大银行衡阳分行", "兴业银行衡阳分行", "华夏银行衡阳分行", "上海浦东发展银行衡阳分行",
    "招商银行衡阳分行", "中国民生银行衡阳分行", "衡阳农村商业银行", "衡阳珠晖农村商业银行",
    "中国人寿保险股份有限公司衡阳分公司", "中国人民财产保险股份有限公司衡阳市分公司",
    "中国平安财产保险股份有限公司衡阳中心支公司", "中国太平洋财产保险股份有限公司衡阳中心支公司",
    "衡阳市融资担保有限公司", "衡阳市金融服务中心", "中国农业发展银行衡阳市分行",
)  # fmt: skip
CIVIL_AFFAIRS = (
    "衡阳市民政局", "衡阳市社会福利院", "衡阳市儿童福利院", "衡阳市救助管理站", "衡阳市殡仪馆",
    "衡阳市第二精神病医院", "衡阳市民政事务服务中心", "衡阳市社会组织服务中心", "衡阳市福利彩票发行中心",
    "衡阳市婚姻登记处", "衡阳市老年公寓", "衡阳市康复医院", "衡阳慈善医院", "衡阳市光荣院",
    "衡阳市殡葬管理所", "衡阳市精神卫生中心", *per_district("衡阳市{d}区民政局"),
)  # fmt: skip
RELIGION = (
    "衡阳市民族宗教事务局", "南岳道教协会", "南岳道缘慈善基金会", "衡阳市佛教协会", "衡阳市天主教爱国会",
    "衡阳市基督教三自爱国运动委员会", "衡阳市伊斯兰教协会", "南岳区佛教协会", "衡阳市道教协会",
)  # fmt: skip
WANGYI_GROUP = (
    "王一集团有限公司", "衡阳王一置业有限公司", "衡阳王一物业服务有限公司", "衡阳王一商贸有限公司",
    "衡阳王一酒店管理有限公司", "衡阳王一建设工程有限公司",
)  # fmt: skip
PRIVATE_COMPANIES = Companies(
    industries=("商贸", "机械制造", "科技", "电子", "医药", "食品", "纺织", "汽车销售", "酒店管理", "物流",
                "餐饮管理", "广告传媒", "家居", "农业开发", "连锁超市", "电器", "印务", "环保科技"),
)  # fmt: skip
HR = (
    "衡阳市人力资源和社会保障局", "衡阳市社会保险服务中心", "衡阳市就业服务中心", "衡阳市劳动人事争议仲裁院",
    "衡阳市人才发展服务中心", "衡阳市劳动保障监察支队", "衡阳市职业技能鉴定中心", "衡阳市人事考试中心",
)  # fmt: skip
MARKET = (
    "衡阳市市场监督管理局", *per_district("衡阳市市场监督管理局{d}分局"),
    "衡阳市市场监督管理局高新区分局", "衡阳市市场监督管理局松木经开区分局", "衡阳市产商品质量监督检验所",
    "衡阳市计量测试检定所", "衡阳市特种设备检验检测所", "衡阳市知识产权保护中心", "衡阳市食品药品检验所",
)  # fmt: skip
JUSTICE = (
    "衡阳市中级人民法院", "衡阳市人民检察院", "衡阳市司法局", *per_district("衡阳市{d}区人民法院"),
    *per_district("衡阳市{d}区人民检察院"), "衡阳市公证处", "衡阳仲裁委员会", "衡阳市律师协会",
    "衡阳市法律援助中心", "湖南恒昌律师事务所", "湖南雁城律师事务所",
)  # fmt: skip
HEALTH = (
    "衡阳市卫生健康委员会", "衡阳市中心医院", "衡阳市第一人民医院", "衡阳市第三人民医院", "衡阳市中医医院",
    "衡阳市妇幼保健院", "衡阳市疾病预防控制中心", "衡阳市急救中心", "衡阳市中心血站",
    "衡阳市卫生健康综合监督执法支队", "南华大学附属第一医院", "南华大学附属第二医院", "南华大学附属南华医院",
    "衡阳市职业病防治院", "衡阳市口腔医院", "衡阳市中西医结合医院", "衡阳市传染病医院",
    *(f"衡阳市{d}区{s}街道社区卫生服务中心" for d, s in (
        ("珠晖", "东风路"), ("珠晖", "广东路"), ("雁峰", "先锋"), ("雁峰", "白沙洲"), ("石鼓", "人民路"),
        ("石鼓", "青山"), ("蒸湘", "红湘"), ("蒸湘", "联合"), ("南岳", "祝融"), ("珠晖", "冶金"),
    )),
)  # fmt: skip
CULTURE = (
    "衡阳市文化旅游广电体育局", "衡阳市博物馆", "衡阳市图书馆", "衡阳市群众艺术馆", "衡阳市广播电视台",
    "衡阳市湘剧保护传承中心", "衡阳市花鼓戏保护传承中心", "衡阳市文化市场综合行政执法支队",
    "衡阳市石鼓书院管理处", "衡阳市体育中心", "衡阳市美术馆",
)  # fmt: skip
SOCIETIES = (
    "衡阳市企业家协会", "衡阳市个体劳动者协会", "衡阳市义工联合会", "衡阳市青年企业家协会",
    "衡阳市餐饮行业协会", "衡阳市物流与采购协会", "衡阳市会计学会", "衡阳市志愿者协会", "衡阳市书法家协会",
    "衡阳市计划生育协会", "衡阳市小红人志愿者协会", "广东省湖南衡阳商会", "衡阳市温州商会",
    "衡阳市江西商会", "衡阳市福建商会", "衡阳市浙江商会", "衡阳市老年人体育协会", "衡阳市收藏家协会",
)  # fmt: skip
QI_MERCHANTS = Companies(
    industries=("商贸", "建材", "酒业", "食品", "农产品", "物流", "服饰", "置业", "石材", "餐饮管理"),
    first=("衡阳市祁东商会",),
)
HIGH_TECH = Companies(
    industries=("科技", "电子", "信息技术", "智能装备", "新材料", "生物科技", "光电", "软件", "精密机械",
                "智能制造", "检测技术", "电子商务"),
    forms=("有限公司", "股份有限公司"),
    first=("衡阳高新技术产业开发区管理委员会",),
)  # fmt: skip
SONGMU = Companies(
    industries=("化工", "新材料", "新能源", "环保科技", "冶金", "盐化", "精细化工", "再生资源"),
    forms=("有限公司", "股份有限公司"),
    first=("衡阳松木经济开发区管理委员会",),
)  # fmt: skip
PARTIES = (
    "民革衡阳市委员会", "民盟衡阳市委员会", "民建衡阳市委员会", "民进衡阳市委员会", "农工党衡阳市委员会",
    "致公党衡阳市委员会", "九三学社衡阳市委员会", "衡阳市知识分子联谊会",
)  # fmt: skip
HOUSING_BUREAU = (
    "衡阳市住房和城乡建设局", "衡阳市建设工程质量安全监督站", "衡阳市住房保障服务中心",
    "衡阳市城市建设档案馆",
    "衡阳市房屋征收与补偿事务中心", "衡阳市建设工程造价管理站", "衡阳市建筑业管理服务中心",
    "衡阳市房地产市场服务中心", "衡阳市燃气管理站", "衡阳市城乡规划设计研究院",
)  # fmt: skip
CONSTRUCTION = Companies(
    industries=("建筑工程", "建设工程", "建设", "路桥工程", "市政工程", "安装工程", "装饰工程"),
    forms=("有限公司", "集团有限公司"),
)
DEVELOPERS = Companies(industries=("置业", "房地产开发", "地产"), forms=("有限公司",))
PROPERTY = Companies(
    industries=("物业服务", "物业管理"),
    forms=("有限公司",),
    places=("衡阳", "衡阳市"),
    first=("衡阳市物业管理协会",),
)
CONCRETE = Companies(
    industries=("混凝土", "商品混凝土", "建材"),
    forms=("有限公司",),
    places=("衡阳",),
    first=("衡阳市混凝土协会",),
)

# Units per sector: 593 gave in 2023 ("有593家机关和企事业单位"), a few more only in 2022.
UNIT_GROUPS = (
    UnitGroup("市直工委慈善分会", "市直工委慈善分会", 120, 3, CITY_OFFICES),
    UnitGroup("部队系统", None, 8, 1, MILITARY),
    UnitGroup("常务理事单位", None, 15, 1, Companies(
        industries=("实业", "投资", "控股", "建设", "置业", "能源", "医药", "商贸", "物流", "食品"),
        forms=("集团有限公司", "集团股份有限公司"), places=("湖南", "衡阳"),
    )),
    UnitGroup("高校系统", None, 8, 0, UNIVERSITIES),
    UnitGroup("公安系统", "公安局慈善分会", 42, 2, POLICE),
    UnitGroup("国资系统", "国资委慈善分会", 45, 2, STATE_COMPANIES),
    UnitGroup("教育系统", None, 60, 2, SCHOOLS),
    UnitGroup("金融系统", None, 25, 1, FINANCE),
    UnitGroup("民政系统", None, 20, 1, CIVIL_AFFAIRS),
    UnitGroup("民宗系统", None, 8, 0, RELIGION),
    UnitGroup("民营企业", "王一集团分会", 6, 0, WANGYI_GROUP),
    UnitGroup("民营企业", None, 44, 3, PRIVATE_COMPANIES),
    UnitGroup("人社系统", None, 8, 0, HR),
    UnitGroup("市场监督管理系统", None, 12, 1, MARKET),
    UnitGroup("司法系统", None, 15, 1, JUSTICE),
    UnitGroup("卫健系统", "卫健系统慈善分会", 25, 1, HEALTH),
    UnitGroup("文旅广系统", None, 10, 0, CULTURE),
    UnitGroup("社会组织", None, 15, 1, SOCIETIES),
    UnitGroup("祁商会慈善分会", "祁商会慈善分会", 12, 0, QI_MERCHANTS),
    UnitGroup("高新区", None, 20, 1, HIGH_TECH),
    UnitGroup("松木经开区", None, 12, 0, SONGMU),
    UnitGroup("民主党派", None, 8, 0, PARTIES),
    UnitGroup("住建系统", "局属单位", 10, 0, HOUSING_BUREAU),
    UnitGroup("住建系统", "施工企业", 18, 2, CONSTRUCTION),
    UnitGroup("住建系统", "房地产开发企业", 14, 1, DEVELOPERS),
    UnitGroup("住建系统", "物业协会", 8, 1, PROPERTY),
    UnitGroup("住建系统", "混凝土协会", 5, 0, CONCRETE),
)  # fmt: skip

# (sector, branch, parent branch): the 分会 and the sub-groups of 住建系统 (2019 work summary).
BRANCHES = (
    ("市直工委慈善分会", "市直工委慈善分会", None),
    ("公安系统", "公安局慈善分会", None),
    ("国资系统", "国资委慈善分会", None),
    ("卫健系统", "卫健系统慈善分会", None),
    ("民营企业", "王一集团分会", None),
    ("祁商会慈善分会", "祁商会慈善分会", None),
    ("住建系统", "市住建局慈善分会", None),
    ("住建系统", "局属单位", "市住建局慈善分会"),
    ("住建系统", "施工企业", "市住建局慈善分会"),
    ("住建系统", "房地产开发企业", "市住建局慈善分会"),
    ("住建系统", "物业协会", "市住建局慈善分会"),
    ("住建系统", "混凝土协会", "市住建局慈善分会"),
)


def unit_names(group, rng, taken):
    """`group.size` unit names not in `taken` (unit names are unique); adds them to `taken`."""
    source = iter(group.names) if isinstance(group.names, tuple) else group.names.candidates(rng)
    names = []
    for name in source:
        if name not in taken:
            taken.add(name)
            names.append(name)
            if len(names) == group.size:
                return names
    raise ValueError(f"{group.sector}：单位名称不足 {group.size} 个")


# Surnames in rough order of frequency in Hunan; repeats make the common ones commoner.
SURNAMES = (
    "刘刘刘李李李王王王张张陈陈周周罗罗彭彭谭谭唐唐邓邓曾曾肖肖"
    "胡黄蒋谢廖贺阳颜杨吴赵朱何郭龙宋段雷文尹汤许傅丁毛"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲文辉斌波宇浩凯鹏俊婷雪琳晨欣怡佳思"
    "雨梓子涵轩博霖峰林亮鑫宏春梅兰燕萍莉琴云飞龙海东福德永胜清湘衡雁嘉慧诗卫新"
)


def person_name(rng):
    given_length = 1 if rng.random() < 0.3 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARS) for _ in range(given_length))


def unique_person_names(count, rng):
    # Unique, so a person is never confused with a namesake at the same employer.
    names, seen = [], set()
    while len(names) < count:
        name = person_name(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(rng):
    """A 组织机构代码 (GB 11714): 8 digits and their check character, positions 9-17 of a credit code."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


PARTY_PREFIXES = ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社")
MASS_ORGANISATIONS = (
    "总工会", "妇女联合会", "科学技术协会", "文学艺术界联合会", "工商业联合会", "残疾人联合会", "红十字会",
)  # fmt: skip


def registration_type(name):
    """登记管理部门 and 机构类别 (positions 1-2 of the code, GB 32100 table 2) guessed from the name."""
    if "公司" in name or (name.endswith(("银行", "分行")) and "人民银行" not in name):
        return "91"  # 工商: 企业
    if name.endswith("律师事务所"):
        return "31"  # 司法行政: 律师执业机构
    if name.startswith(PARTY_PREFIXES) or name.endswith(MASS_ORGANISATIONS) or name.startswith("共青团"):
        return "13"  # 机构编制: 群众团体, and the democratic parties
    if name.endswith("基金会"):
        return "53"  # 民政: 基金会
    if name.endswith(("协会", "商会", "学会", "联谊会", "联合会", "三自爱国运动委员会")):
        return "51"  # 民政: 社会团体
    if name.endswith(
        ("学校", "学院", "大学", "中学", "小学", "幼儿园", "医院", "中心", "站", "馆", "所", "院")
    ):
        return "12"  # 机构编制: 事业单位
    return "11"  # 机构编制: 机关


def credit_code(name, rng, taken):
    """A valid, unused 统一社会信用代码 for the unit `name`."""
    district = next((d for d in DISTRICTS if d in name), "")
    while True:
        first17 = registration_type(name) + DIVISION_CODES[district] + organisation_code(rng)
        code = first17 + credit_code_check_char(first17)
        if code not in taken:
            taken.add(code)
            return code
