"""Synthetic model cases for benchmarks and tests (``casebook sample N --seed S``).

The generator writes case texts in the register of provincial 经验材料: a title in 做法/做法+成效
form, a subtitle, the four sections (基本情况, 主要做法, 取得成效, 经验启示), tags, figures with
unit, period and source. Sentences are assembled from a large pool of fragments taken from the
vocabulary of the 千万工程 plan, so that word frequencies look like those of real texts: common words
appear in most cases, rarer ones in few. The output is fiction and must never be shown as real data.

Output is deterministic for a given seed and sequence of calls; the generator never touches the
global random state. It is tuned for speed (about 100,000 cases in a few seconds on one core):
fragments are precomputed tuples, picks index them directly, text is assembled with f-strings.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["SampleFigure", "SampleText", "SampleTextGenerator"]


@dataclass(frozen=True)
class SampleFigure:
    """One reported figure of a synthetic case."""

    label: str
    value: float
    unit: str
    period: str
    source: str


@dataclass(frozen=True)
class SampleText:
    """The text of one synthetic case."""

    title: str
    subtitle: str
    basic_situation: str
    practices: str
    outcomes: str
    lessons: str
    tags: tuple[str, ...]
    figures: tuple[SampleFigure, ...]
    source: str


class _Ctx:
    """Per-case state handed to the sentence builders: names, scale and cheap random picks."""

    __slots__ = ("city", "county", "mt", "place", "r", "scale", "theme", "this", "v", "whole", "year")

    def __init__(self, r: Callable[[], float]) -> None:
        self.r = r
        self.place = ""
        self.city = ""
        self.county = ""
        self.v = ""
        self.mt = ""
        self.theme = ""
        self.this = ""
        self.whole = ""
        self.scale = 1
        self.year = 2024

    def p(self, pool: tuple[str, ...]) -> str:
        """Pick with a skew towards the head of the pool (common fragments first)."""
        x = self.r()
        return pool[int(x * x * len(pool))]

    def two(self, pool: tuple[str, ...]) -> str:
        """Two different items of the pool, the first one skewed, joined with '、'."""
        x = self.r()
        n = len(pool)
        a = int(x * x * n)
        return f"{pool[a]}、{pool[(a + 1 + int(self.r() * (n - 1))) % n]}"

    def u(self, pool: tuple[str, ...]) -> str:
        """Pick uniformly."""
        return pool[int(self.r() * len(pool))]

    def i(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi]."""
        return lo + int(self.r() * (hi - lo + 1))

    def n(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi] times the size of the place (village, town or county)."""
        return (lo + int(self.r() * (hi - lo + 1))) * self.scale

    def f(self, lo: float, hi: float) -> str:
        """A number with one decimal in [lo, hi), as text."""
        return f"{lo + self.r() * (hi - lo):.1f}"


_Builder = Callable[[_Ctx], str]

_COUNTY_SCALE = 12

_ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是")

# ---------------------------------------------------------------------------------------------
# Shared fragment pools (most common first: picks with ``p`` favour the head of a pool)
# ---------------------------------------------------------------------------------------------

_DIRECTIONS = ("西部", "东部", "南部", "北部", "西南部", "东南部", "东北部", "西北部", "中部")
_TERRAIN = (
    "地处山区，“七山一水两分田”特征明显",
    "地处丘陵地带，山水资源禀赋突出",
    "地势平坦，水网密布，素有“鱼米之乡”之称",
    "属典型的城郊型村庄，区位优势较为明显",
    "境内溪流纵横，生态本底良好",
    "是传统农业村，耕地以水田为主",
    "村内保存有较为完整的明清古建筑群",
    "是山区海岛县中较为偏远的区域",
    "三面环山，一面临水，自然风光秀丽",
    "紧邻省道和高速出入口，交通较为便捷",
    "地处两省三县交界处，历史上是重要的商贸集散地",
    "茶园、竹林连片分布，是当地重要的农产品产区",
)
_PROBLEMS = (
    "村集体经济底子薄",
    "青壮年劳动力大量外流",
    "产业结构单一",
    "农产品“有产品无品牌”",
    "土地资源碎片化",
    "闲置农房和低效用地较多",
    "公共服务设施短板明显",
    "单个村庄发展空间受限",
    "村与村之间各自为战、同质竞争",
    "乡村旅游业态单一、游客停留时间短",
    "基础设施长效管护机制不健全",
    "村集体缺乏稳定增收渠道",
    "人才“引不进、留不住”",
    "人口老龄化程度较高",
    "资源优势未能转化为发展优势",
    "项目资金分散、重复投入",
    "农业生产经营规模小、效益低",
    "市场对接能力弱",
    "村级治理任务重、力量弱",
    "农产品精深加工能力不足",
)
_PROBLEM_TAILS = (
    "发展一度面临不少瓶颈",
    "村民增收渠道较为有限",
    "曾长期被列为集体经济薄弱村",
    "“守着绿水青山过穷日子”的问题较为突出",
    "如何破解发展难题成为摆在干部群众面前的现实课题",
    "与城区和先发地区的发展差距较为明显",
    "村庄发展后劲明显不足",
)
_TURN_VERBS = ("围绕", "聚焦", "紧扣", "对照", "坚持以")
_TURN_NOUNS = ("要求", "部署", "目标任务", "工作要求", "重点任务")
_HANDLES = ("抓手", "突破口", "切入点", "主要路径", "重要载体")
_APPROACHES = (
    "推动资源整合、抱团发展",
    "探索多村联动、片区组团的发展路径",
    "推进组织联建、产业联营、品牌共享、设施共用",
    "把生态优势转化为发展优势",
    "激活闲置资源和沉睡资产",
    "打通“绿水青山”向“金山银山”的转化通道",
    "推动农文旅深度融合发展",
    "构建“党建+产业+运营”发展格局",
    "统筹推进强村富民和乡村治理",
    "推动城乡要素双向流动",
    "深化山海协作和结对帮扶",
    "做强“土特产”全产业链",
    "引入市场化运营机制",
    "推进数字乡村和未来乡村建设",
)
_GOALS = (
    "走出了一条强村富民的新路子",
    "探索形成了一批可复制、可推广的经验做法",
    "推动“一村富”向“村村富”转变",
    "持续缩小城乡差距和收入差距",
    "为山区县推进共同富裕提供了有益借鉴",
    "实现了集体增收、农民致富、乡村美丽的多赢",
    "推动“一村美”向“一片兴”转变",
    "让更多农民共享发展成果",
    "走出了一条先富带后富、区域共同发展的路子",
)
_HONORS = (
    "省级未来乡村",
    "浙江省3A级景区村庄",
    "全国乡村旅游重点村",
    "省级美丽乡村特色精品村",
    "全国文明村",
    "省级善治示范村",
    "国家森林乡村",
    "省级历史文化村落保护利用重点村",
    "省级共同富裕示范单元",
    "全国乡村治理示范村",
    "省级农业产业强镇",
    "全国“一村一品”示范村镇",
    "省级数字乡村示范村",
    "省级民主法治村",
    "省级清廉村居示范点",
)
_PILOTS = (
    "乡村片区组团发展试点",
    "未来乡村建设试点",
    "共同富裕试点",
    "强村公司提质增效试点",
    "数字乡村试点",
    "全域闲置农房盘活试点",
    "新型农村集体经济发展试点",
    "城乡融合发展试点",
    "县域基本公共服务一体化试点",
)
_ENTITIES = (
    "强村公司",
    "合作社",
    "龙头企业",
    "共富工坊",
    "家庭农场",
    "乡村运营团队",
    "联合发展公司",
    "农创客",
    "电商平台",
    "国有企业",
)
_OPERATORS = (
    "专业运营团队",
    "乡村运营师",
    "国有文旅企业",
    "返乡创业青年",
    "农创客团队",
    "社会资本方",
    "农业龙头企业",
    "农民专业合作社",
    "本土乡贤",
    "高校设计团队",
)
_RESOURCES = (
    "闲置农房",
    "闲置校舍",
    "废弃厂房",
    "村级留用地",
    "集体经营性建设用地",
    "低效工业用地",
    "山林资源",
    "水库山塘",
    "古民居",
    "老粮站",
    "旧礼堂",
    "撂荒地",
    "林下空间",
    "老供销社",
)
_PRODUCTS = (
    "高山茶叶",
    "精品水果",
    "竹笋",
    "中药材",
    "高山蔬菜",
    "香榧",
    "杨梅",
    "蜜梨",
    "优质稻米",
    "土蜂蜜",
    "笋干",
    "番薯干",
    "食用菌",
    "山茶油",
    "铁皮石斛",
    "白茶",
    "柑橘",
    "葡萄",
    "湖羊",
    "稻鱼共生产品",
    "手工面",
    "黄酒",
)
_BUSINESSES = (
    "民宿",
    "研学营地",
    "露营基地",
    "乡村咖啡馆",
    "农事体验园",
    "非遗工坊",
    "文创空间",
    "康养旅居项目",
    "电商直播间",
    "共享厨房",
    "乡村书屋",
    "艺术村落",
    "亲子乐园",
    "精品酒店",
    "果蔬采摘园",
    "农家乐",
)
_LEADERS = ("核心村党组织书记", "镇党委委员", "镇党委副书记", "中心村党组织书记", "驻村第一书记")
_MEET_MECH = ("联席会议+项目清单", "双周例会+问题清单", "一月一会商、一季一评议", "四张清单", "书记联席会")
_ISSUES = ("土地流转、项目落地", "资金统筹、收益分配", "设施共建、品牌共享", "产业布局、人才引进")
_TALENT_IDS = ("返乡大学生", "退役军人", "致富能手", "乡贤", "农创客", "新农人")
_LAYOUTS = ("一核两翼多点", "一心一带三区", "一轴两片多节点", "核心区+拓展区+辐射区", "一廊串多村")
_ASSESS = ("乡镇年度综合考核", "村级组织星级评定", "党建述职评议", "“千万工程”年度考评")
_PRODUCT_BRANDS = ("浙农优品", "品字标浙江农产", "百县千品", "浙江农业之最", "地理标志产品")
_CHANNELS = ("商超专柜", "社区团购", "直播电商", "城市展销中心", "机关食堂直供", "冷链配送")
_SHARING = (
    "保底收益+按股分红",
    "固定租金+利润分成",
    "基本收益+效益分红",
    "入股分红+务工收入+租金收入",
    "村集体保底+农户分红+运营主体提成",
)
_VENUES = ("文化礼堂", "共享食堂", "村级便民服务中心", "居家养老服务照料中心", "乡村书房", "邻里中心")
_GOV_TOOLS = ("民主恳谈会", "圆桌议事会", "邻里议事厅", "村民说事", "乡贤参事会", "村务监督委员会")
_CULT = ("村晚", "村歌", "村运", "村跑", "农民丰收节", "采茶节", "开渔节", "竹笋节")
_FINANCE = ("共富贷", "强村贷", "农创贷", "民宿贷", "林权抵押贷款", "“政银险担基”集成支持方案")
_PARTNERS = (
    "经济强县",
    "省直单位",
    "国有企业",
    "高等院校",
    "科研院所",
    "公立医院",
    "行业协会",
    "城区街道",
)
_ENCLAVES = ("消薄飞地", "产业飞地", "科创飞地", "双向飞地", "发展飞地")

# ---------------------------------------------------------------------------------------------
# Basic situation
# ---------------------------------------------------------------------------------------------


def _bs_population(c: _Ctx) -> str:
    if c.scale == 1:
        return (
            f"{c.whole}下辖{c.i(2, 9)}个自然村，户籍人口{c.i(600, 3800)}人，常住人口{c.i(400, 2600)}人，"
            f"村域面积{c.f(2, 18)}平方公里。"
        )
    if c.scale < _COUNTY_SCALE:
        return f"{c.whole}下辖{c.i(8, 30)}个行政村，户籍人口{c.f(1.5, 6)}万人，其中60岁以上老年人口占比{c.f(22, 38)}%。"
    return (
        f"{c.whole}辖{c.i(8, 25)}个乡镇（街道）、{c.i(100, 400)}个行政村，户籍人口{c.f(25, 80)}万人，"
        f"陆域面积{c.i(400, 4400)}平方公里。"
    )


def _bs_land(c: _Ctx) -> str:
    return f"现有耕地{c.n(800, 4800)}亩、山林{c.n(2000, 26000)}亩，森林覆盖率达{c.f(62, 86)}%。"


def _bs_problem(c: _Ctx) -> str:
    k = int(c.r() * 3)
    if k == 0:
        return f"过去，{c.v}{c.two(_PROBLEMS)}，{c.p(_PROBLEM_TAILS)}。"
    if k == 1:
        return f"长期以来，{c.v}面临{c.two(_PROBLEMS)}等问题，{c.p(_PROBLEM_TAILS)}。"
    return f"在发展过程中，{c.two(_PROBLEMS)}等问题日益凸显，{c.p(_PROBLEM_TAILS)}。"


def _bs_income(c: _Ctx) -> str:
    if c.scale == 1:
        return (
            f"{c.year - c.i(4, 7)}年，{c.whole}村集体经营性收入仅为{c.f(8, 60)}万元，"
            f"农村居民人均可支配收入低于所在县平均水平。"
        )
    return (
        f"{c.year - c.i(4, 7)}年，{c.whole}村集体经营性收入低于50万元的村有{c.n(2, 8)}个，"
        f"农村居民人均可支配收入低于全省平均水平。"
    )


def _bs_honor(c: _Ctx) -> str:
    return f"{c.this}先后获评{c.two(_HONORS)}等称号。"


def _bs_pilot(c: _Ctx) -> str:
    return f"{c.year - c.i(1, 3)}年，{c.v}被列为{c.county}{c.p(_PILOTS)}单位。"


def _bs_neighbours(c: _Ctx) -> str:
    if c.scale == 1:
        near = f"{c.i(3, 24)}个村"
    elif c.scale < _COUNTY_SCALE:
        near = f"{c.i(2, 6)}个乡镇"
    else:
        near = f"{c.i(2, 4)}个县（市、区）"
    return f"{c.this}与周边{near}山水相连、产业相近，具备抱团发展的基础。"


def _bs_assets(c: _Ctx) -> str:
    return f"摸底显示，{c.whole}有{c.u(_RESOURCES)}{c.n(8, 60)}处，大多长期处于闲置状态。"


_BS_EXTRA: tuple[_Builder, ...] = (_bs_land, _bs_income, _bs_honor, _bs_pilot, _bs_neighbours, _bs_assets)

# ---------------------------------------------------------------------------------------------
# Practices: one category per measure (headlines and detail sentences)
# ---------------------------------------------------------------------------------------------

_H_ORG = (
    "坚持党建引领，强化组织联建",
    "深化党建联建，凝聚发展合力",
    "健全组织架构，理顺运行机制",
    "建强联合党委，推动抱团发展",
    "打破行政边界，实现规划一张图",
    "强化统筹协调，构建联动机制",
    "以党建联建破题，推动多村合作",
    "做实组织保障，压实工作责任",
)
_D_ORG: tuple[_Builder, ...] = (
    lambda c: (
        f"成立由{c.i(3, 15)}个村党组织组成的联合党委，由{c.u(_LEADERS)}担任书记，"
        f"统筹研究{c.mt}发展规划、重大项目和重要事项。"
    ),
    lambda c: f"建立“{c.u(_MEET_MECH)}”工作机制，定期召开联席会议，累计协调解决{c.u(_ISSUES)}等问题{c.i(20, 90)}个。",
    lambda c: f"推行“党组织+{c.p(_ENTITIES)}+农户”模式，把党组织建在产业链上，做到规划一张图、发展一盘棋。",
    lambda c: f"深化“红色根脉强基工程”，选优配强村党组织带头人，{c.i(3, 12)}名{c.u(_TALENT_IDS)}进入村“两委”班子。",
    lambda c: f"编制{c.mt}发展规划，明确“{c.u(_LAYOUTS)}”空间布局，避免各村重复建设、同质竞争。",
    lambda c: f"将{c.mt}建设纳入{c.u(_ASSESS)}，实行项目化、清单化、时限化推进，形成上下联动、一抓到底的工作格局。",
    lambda c: f"组建由县、镇、村三级干部组成的工作专班，{c.i(2, 6)}名县领导分片联系，蹲点解决实际问题。",
)

_H_IND = (
    "做强特色产业，夯实共富基础",
    "延伸产业链条，提升产品附加值",
    "推进“土特产富”全链发展",
    "推动农文旅融合，培育新业态",
    "坚持多产业联动，做大片区经济",
    "打响区域公用品牌，提升市场竞争力",
    "发展“美丽经济”，释放生态红利",
    "因地制宜发展富民产业",
)
_D_IND: tuple[_Builder, ...] = (
    lambda c: (
        f"围绕{c.two(_PRODUCTS)}等“土特产”，建设标准化生产基地{c.n(800, 6000)}亩，配套建设加工车间和冷链仓储设施。"
    ),
    lambda c: (
        f"统一注册“{c.v}”区域公用品牌，{c.i(6, 40)}款产品获得“{c.u(_PRODUCT_BRANDS)}”认证，进入{c.u(_CHANNELS)}等渠道。"
    ),
    lambda c: f"串联{c.n(4, 18)}个景点和{c.two(_BUSINESSES)}等业态，推出精品旅游线路{c.i(3, 12)}条。",
    lambda c: (
        f"引入{c.p(_OPERATORS)}，开发“{c.u(_PRODUCTS)}+文化”“{c.u(_PRODUCTS)}+研学”等新模式，推动一二三产融合发展。"
    ),
    lambda c: f"培育{c.u(_BUSINESSES)}{c.n(5, 40)}家，带动农产品就地转化为旅游商品。",
    lambda c: (
        f"推进农业产业强镇和现代农业产业园建设，培育市级以上农业龙头企业{c.i(2, 9)}家、农民专业合作社{c.n(6, 30)}家。"
    ),
    lambda c: "依托县域特色产业图谱，按照“一村一品、一片一业”思路，明确各村主导产业和发展方向。",
    lambda c: f"抢抓“以竹代塑”机遇，引进竹制品加工企业{c.i(2, 9)}家，竹材综合利用率提高到{c.i(60, 90)}%。",
    lambda c: f"把生态优势转化为产业优势，发展林下经济{c.n(500, 3000)}亩，探索生态产品价值实现机制。",
)

_H_OPS = (
    "引入市场化运营，激活闲置资源",
    "推进乡村运营，实现资源统一经营",
    "组建强村公司，提升经营能力",
    "搭建发展平台，实现抱团经营",
    "创新运营模式，做活乡村经济",
    "盘活沉睡资产，拓宽增收渠道",
    "坚持整村运营，推动资源变资产",
    "探索片区统一运营，提升运营效益",
)
_D_OPS: tuple[_Builder, ...] = (
    lambda c: f"由各成员村共同出资组建联合发展公司，作为{c.mt}资源统筹开发和市场化运营的主体。",
    lambda c: (
        f"对{c.whole}{c.two(_RESOURCES)}进行摸底登记，统一收储{c.n(20, 160)}处，通过公开招商交由{c.p(_OPERATORS)}运营。"
    ),
    lambda c: (
        f"通过“村集体+{c.p(_OPERATORS)}”合作方式，引进运营团队{c.i(2, 8)}个，实行“统一规划、统一招商、统一运营”。"
    ),
    lambda c: (
        f"依托农村产权流转交易平台，完成{c.u(_RESOURCES)}使用权流转交易{c.n(10, 80)}宗，成交金额{c.n(200, 3000)}万元。"
    ),
    lambda c: f"强村公司承接小型工程、物业管理、保洁绿化等业务，年营业收入达到{c.n(150, 1500)}万元。",
    lambda c: "对运营主体实行年度考核和退出机制，确保资产保值增值、运营规范有序。",
    lambda c: f"实施全域闲置农房盘活行动，将{c.n(15, 90)}幢闲置农房改造为{c.u(_BUSINESSES)}和青年创业空间。",
)

_H_BEN = (
    "健全利益联结，让农民共享发展成果",
    "创新分配机制，激发群众参与热情",
    "坚持先富带后富，推动共同发展",
    "拓宽增收渠道，促进农民持续增收",
    "建设共富工坊，拓展家门口就业",
    "完善联农带农机制，增强发展内生动力",
)
_D_BEN: tuple[_Builder, ...] = (
    lambda c: f"推行“{c.p(_SHARING)}”利益分配机制，村集体、农户和运营主体按比例分享经营收益。",
    lambda c: f"深化“资源变资产、资金变股金、农民变股东”改革，{c.n(200, 1500)}户农户成为股东，年底参与分红。",
    lambda c: (
        f"在{c.whole}建设共富工坊{c.n(3, 18)}家，承接来料加工、农产品分拣包装等业务，让留守妇女和老人在家门口就业。"
    ),
    lambda c: f"引导农户以土地经营权、闲置农房等入股，入股农户年均增收{c.i(2000, 9000)}元。",
    lambda c: f"设立共同富裕基金，每年提取经营收益的{c.i(5, 20)}%用于帮扶低收入农户和发展薄弱村。",
    lambda c: f"探索共富市集、共富大棚、共富庭院等模式，开辟公益性岗位{c.n(10, 80)}个，推进零工市场建设。",
    lambda c: f"对参与{c.mt}的薄弱村实行项目倾斜，优先安排公共设施和产业项目，让后发村以较低成本分享发展红利。",
    lambda c: f"扩大以工代赈实施规模，组织本地村民参与项目建设，发放劳务报酬{c.n(30, 400)}万元。",
)

_H_TAL = (
    "强化人才支撑，推动青年入乡发展",
    "引育用留并举，打造乡村人才矩阵",
    "招引农创客，为乡村注入新活力",
    "用好乡贤资源，凝聚各方力量",
    "深化农民素质提升，培育新农人",
)
_D_TAL: tuple[_Builder, ...] = (
    lambda c: (
        f"建设农创客共富基地和青年人才社区，提供创业空间、人才公寓和“{c.u(_FINANCE)}”等支持，"
        f"招引{c.n(10, 60)}个青年创业团队入驻。"
    ),
    lambda c: f"实施现代“新农人”培育行动，开展“培训+产业+品牌”技能培训{c.i(20, 120)}期、培训{c.n(600, 4000)}人次。",
    lambda c: f"完善科技特派员、文化特派员制度，{c.i(3, 15)}名科技特派员常驻一线，推广新品种新技术{c.i(5, 30)}项。",
    lambda c: f"成立乡贤参事会，动员{c.n(20, 120)}名乡贤回乡投资兴业，带回项目{c.i(3, 18)}个。",
    lambda c: f"开办“青年夜校”，围绕直播带货、民宿管理、乡村运营等内容开展培训，培育乡村产业“头雁”{c.i(5, 40)}名。",
    lambda c: f"推出“妈妈的味道”等就业创业品牌，支持农民工返乡入乡创业，发放创业担保贷款{c.n(100, 1200)}万元。",
)

_H_DIG = (
    "推进数字赋能，提升治理和服务效能",
    "建设数字乡村，打造智慧应用场景",
    "以数字化改革撬动乡村发展",
)
_D_DIG: tuple[_Builder, ...] = (
    lambda c: f"建设数字乡村驾驶舱，集成产业监测、人居环境、基层治理等{c.i(6, 24)}个应用场景。",
    lambda c: f"推动智慧城市与数字乡村一体建设，农产品溯源覆盖{c.i(40, 95)}%的规模经营主体。",
    lambda c: f"搭建线上展销平台，培育本土主播{c.n(10, 60)}名，开展直播带货{c.n(100, 900)}场次。",
    lambda c: "推广“浙里办”“浙农码”等应用，村民办事实现“就近办、网上办、掌上办”。",
    lambda c: "建设县乡村三级物流体系，全域推进客货邮融合发展，实现快递物流服务“县到村一日达”。",
)

_H_GOV = (
    "深化“四治融合”，提升乡村善治水平",
    "坚持共建共治共享，激发群众主体作用",
    "推进基本公共服务一体化，增强群众获得感",
    "传承新时代“枫桥经验”，筑牢和谐稳定根基",
    "开展人文乡村建设，涵养文明乡风",
)
_D_GOV: tuple[_Builder, ...] = (
    lambda c: f"推广{c.two(_GOV_TOOLS)}等民主协商形式，重大事项全部经村民代表会议讨论决定。",
    lambda c: f"推行积分制管理，将人居环境整治、移风易俗等纳入积分，累计兑换积分{c.n(2, 30)}万分。",
    lambda c: f"建成{c.two(_VENUES)}等公共服务设施{c.n(3, 15)}处，推进村社老年助餐服务，惠及老年人{c.n(200, 1500)}人。",
    lambda c: "深化县医共体改革，常态化开展巡回诊疗和互联网医疗服务，打造“10分钟体育健身圈”。",
    lambda c: f"常态化开展{c.two(_CULT)}等“村字号”群众文体活动，年均举办活动{c.i(10, 60)}场。",
    lambda c: "深化农村家宴惠民改革，修订完善村规民约，持续整治人情攀比、大操大办等问题。",
    lambda c: "传承践行新时代“后陈经验”，巩固提升“三清一促”成果，推进清廉村居建设。",
)

_H_ENV = (
    "改善人居环境，擦亮生态底色",
    "推进土地综合整治，优化空间布局",
    "建设未来乡村，提升风貌品质",
    "完善基础设施，补齐发展短板",
)
_D_ENV: tuple[_Builder, ...] = (
    lambda c: f"深入实施农房改造、管线序化、村道提升“三大行动”，完成农房风貌改造{c.n(40, 400)}幢。",
    lambda c: f"打造“土地综合整治+”模式，推进“多田套合”农用地布局优化，新增耕地{c.n(50, 600)}亩。",
    lambda c: f"按照生态化、智慧化、现代化、江南味的要求，建设未来乡村场景{c.i(5, 12)}个。",
    lambda c: f"建设“四好农村路”{c.n(5, 40)}公里，推广“固定班次+预约响应”公交服务模式。",
    lambda c: f"实施美丽田园行动，深化“肥药两制”改革，化肥农药使用量较{c.year - c.i(3, 5)}年下降{c.f(8, 30)}%。",
    lambda c: f"推进城乡污水一体化治理，农村生活污水处理设施标准化运维率达到{c.i(92, 100)}%。",
    lambda c: f"利用“金角银边”场地建设口袋公园和便民体育场地{c.n(4, 20)}处。",
)

_H_COOP = (
    "深化山海协作，打造“飞地”抱团发展模式",
    "借力结对帮扶，拓展发展空间",
    "推进区域协作，实现优势互补",
    "突破地域限制，发展“飞地”经济",
)
_D_COOP: tuple[_Builder, ...] = (
    lambda c: (
        f"组织{c.n(10, 110)}个村抱团投资，在经济强县工业园区建设“{c.p(_ENCLAVES)}”项目，总投资{c.n(2000, 12000)}万元。"
    ),
    lambda c: (
        f"“{c.u(_ENCLAVES)}”项目建成后统一对外出租，参与村按投资比例获得固定收益，年化收益率不低于{c.i(8, 10)}%。"
    ),
    lambda c: f"与{c.two(_PARTNERS)}建立新型帮共体，签订结对帮扶协议{c.i(3, 15)}份。",
    lambda c: f"推进“双向飞地”建设，引导产业链向山区延伸落地，引进配套项目{c.i(2, 10)}个。",
    lambda c: f"深化“同心共富”工程，对接城市消费需求，在城区设立展销窗口{c.i(2, 8)}个。",
    lambda c: "探索强镇带弱镇、多村联合等组团发展模式，推动设施共建共享、资源统筹利用。",
)

_H_FAC = (
    "强化要素保障，破解发展瓶颈",
    "深化集成改革，激发发展活力",
    "创新投融资机制，撬动社会资本",
)
_D_FAC: tuple[_Builder, ...] = (
    lambda c: f"统筹整合涉农资金{c.n(500, 5000)}万元，集中投向{c.mt}重点项目，避免“撒胡椒面”。",
    lambda c: f"与金融机构合作推出“{c.u(_FINANCE)}”产品，累计授信{c.n(500, 6000)}万元。",
    lambda c: f"深化农业标准地改革，落实农业重大产业项目用地保障，供应建设用地{c.n(10, 120)}亩。",
    lambda c: f"健全土地增值收益分配机制，盘活集体经营性建设用地{c.n(5, 80)}亩。",
    lambda c: f"谋划储备“千项万亿”工程项目{c.i(3, 15)}个，争取政府专项债券{c.n(800, 9000)}万元。",
)

_CATEGORIES: tuple[tuple[tuple[str, ...], tuple[_Builder, ...]], ...] = (
    (_H_ORG, _D_ORG),
    (_H_IND, _D_IND),
    (_H_OPS, _D_OPS),
    (_H_BEN, _D_BEN),
    (_H_TAL, _D_TAL),
    (_H_DIG, _D_DIG),
    (_H_GOV, _D_GOV),
    (_H_ENV, _D_ENV),
    (_H_COOP, _D_COOP),
    (_H_FAC, _D_FAC),
)
# The first categories are the usual core of a case; the later ones come up less often.
_CATEGORY_WEIGHTS = (9, 9, 8, 8, 5, 4, 4, 4, 4, 3)
_CATEGORY_CUM: tuple[float, ...] = tuple(
    sum(_CATEGORY_WEIGHTS[: k + 1]) / sum(_CATEGORY_WEIGHTS) for k in range(len(_CATEGORY_WEIGHTS))
)

# Sentences with Latin letters, used in a minority of cases.
_LATIN: tuple[_Builder, ...] = (
    lambda c: f"开发“{c.v}”微信小程序和App，游客可在线预约民宿、购买土特产，上线以来访问量超过{c.n(3, 40)}万次。",
    lambda c: f"建成5G基站{c.n(3, 20)}个，实现重点区域5G信号全覆盖。",
    lambda c: f"引入VR/AR技术打造沉浸式研学体验场景{c.i(2, 8)}个。",
    lambda c: f"打造“{c.v}”IP形象，统一设计LOGO和系列文创产品{c.i(10, 60)}款。",
    lambda c: f"与高校共建R&D中心，年投入研发经费{c.n(50, 400)}万元。",
    lambda c: f"举办“村BA”篮球赛等赛事{c.i(5, 30)}场，吸引观众{c.n(1, 9)}万人次。",
    lambda c: f"接入IoT传感设备{c.n(50, 400)}套，实现大棚温湿度和水肥一体化实时监测。",
    lambda c: f"推行CSA社区支持农业模式，与城区{c.n(5, 40)}个社区建立直供关系。",
    lambda c: f"采用O2O模式拓展线上线下销售渠道，培育KOL达人{c.i(5, 30)}名。",
    lambda c: f"片区GDP年均增长{c.f(6, 12)}%，高于全县平均水平。",
    lambda c: f"创建国家AAAA级旅游景区{c.i(1, 3)}个，AAA级景区村庄实现全覆盖。",
)

# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------

_OUT_OPEN: tuple[_Builder, ...] = (
    lambda c: f"经过{c.i(2, 6)}年的探索实践，{c.v}{c.mt}建设取得明显成效。",
    lambda c: f"通过上述举措，{c.v}发展活力持续增强，{c.p(_GOALS)}。",
    lambda c: f"{c.mt}模式运行以来，{c.whole}集体经济实力和农民收入水平实现“双提升”。",
    lambda c: f"{c.v}坚持以{c.mt}推动发展，各项工作取得积极进展。",
)
_OUT_EXTRA: tuple[_Builder, ...] = (
    lambda c: f"片区内{c.n(2, 12)}个集体经济薄弱村全部实现“消薄”，村级集体经济年收入均超过{c.i(30, 80)}万元。",
    lambda c: f"村庄人居环境明显改善，群众满意度达到{c.f(93, 99.6)}%。",
    lambda c: f"吸引{c.n(20, 200)}名青年返乡入乡创业，新增市场主体{c.n(10, 90)}家。",
    lambda c: f"“{c.v}”品牌知名度和美誉度不断提升，产品溢价率达到{c.i(20, 60)}%。",
    lambda c: f"{c.year - c.i(0, 1)}年，{c.v}入选{c.p(_HONORS)}名单。",
    lambda c: f"相关经验做法入选全省“千万工程”典型案例，并在{c.county}全域推广。",
    lambda c: f"低收入农户人均可支配收入年均增长{c.f(10, 18)}%，高于农村居民平均增速。",
    lambda c: f"{c.mt}成员村由最初的{c.i(3, 9)}个扩展到{c.i(10, 40)}个，带动范围持续扩大。",
    lambda c: f"村民获得感、幸福感、安全感显著增强，{c.year - 1}年以来实现“零上访”。",
    lambda c: f"片区内新建{c.u(_BUSINESSES)}等业态{c.n(8, 50)}家，游客平均停留时间由半天延长到{c.f(1.5, 2.8)}天。",
    lambda c: f"城乡居民收入倍差缩小到{c.f(1.5, 1.7)}，低于全省平均水平。",
)
_TEMPORAL = ("同比增长", "较上年增长", "比上年增长")

# ---------------------------------------------------------------------------------------------
# Lessons
# ---------------------------------------------------------------------------------------------

_LESSONS: tuple[_Builder, ...] = (
    lambda c: (
        f"坚持党建引领是根本。以党建联建打破村域边界，{c.mt}才能形成统筹资源、协调利益的有效平台，做到一张蓝图绘到底。"
    ),
    lambda c: "抱团发展是关键。单个村庄资源有限、力量分散，只有推动多村合作、资源整合、品牌共享，才能放大规模效应。",
    lambda c: "市场化运营是支撑。引入专业运营团队，用市场的办法经营乡村，才能把资源优势转化为经济优势。",
    lambda c: (
        f"利益联结是核心。只有建立{c.p(_SHARING)}等利益联结机制，让农民真正分享增值收益，群众参与的积极性才能持续提高。"
    ),
    lambda c: f"群众主体是基础。推进{c.mt}要尊重农民意愿，充分发挥村民在规划、建设、运营和管护中的主体作用。",
    lambda c: f"因地制宜是前提。各地资源禀赋和发展阶段不同，推进“{c.theme}”不能搞“一刀切”，要一村一策、分类施策。",
    lambda c: "人才引育是保障。青年入乡和农创客集聚为乡村带来了新理念、新业态，要完善“引育用留”全链条政策供给。",
    lambda c: "改革集成是动力。要以盘活闲置资源、深化产权制度改革为突破口，打通城乡要素双向流动的堵点。",
    lambda c: "数字赋能是手段。把数字化改革贯穿乡村发展和治理全过程，能有效提升治理效能和服务水平。",
    lambda c: "先富带后富是方向。发挥先发村的示范带动作用，让后发村共享品牌、客源和设施，才能实现“一村富”到“村村富”。",
    lambda c: f"制度保障是长久之计。要及时把{c.mt}的好经验、好做法固化为制度成果，推行“一地创新、全省共享”。",
)
_LESSON_OPEN: tuple[_Builder, ...] = (
    lambda c: f"{c.v}的实践表明，以{c.mt}推进“{c.theme}”，是缩小“三大差距”的有效路径。",
    lambda c: f"{c.v}的探索为推进“{c.theme}”提供了有益启示。",
    lambda c: f"总结{c.v}的做法，主要有以下几点启示。",
)

# ---------------------------------------------------------------------------------------------
# Titles and subtitles
# ---------------------------------------------------------------------------------------------

_TITLE_MECH = (
    "联合体抱团发展",
    "片区组团发展",
    "强村公司市场化运营",
    "党建联建",
    "“飞地”抱团",
    "共富工坊",
    "农文旅融合",
    "乡村运营",
    "数字赋能",
    "“土特产”全链发展",
    "山海协作",
    "闲置农房盘活",
    "农创客孵化",
    "未来乡村建设",
    "多产业联动",
)
_TITLE_GOAL = (
    "激活片区共富新动能",
    "蹚出强村富民新路子",
    "推动“一村美”向“一片兴”转变",
    "绘就城乡融合新图景",
    "打造共同富裕基本单元",
    "走出山区共富新路径",
    "跑出村集体经济增收“加速度”",
    "写好强村富民“大文章”",
    "激发乡村振兴内生动力",
    "推动先富带后富",
    "促进农民持续增收",
    "做活乡村“美丽经济”",
    "唤醒乡村沉睡资源",
    "奏响山海共富“协奏曲”",
    "构建利益共享新格局",
)
_TITLE_ACT = (
    ("组建", ""),
    ("深化", "建设"),
    ("创新", "模式"),
    ("探索", "新路径"),
    ("做实", "运行机制"),
    ("迭代升级", ""),
    ("高质量推进", "建设"),
)
_TITLE_EFFECT = (
    "拓宽村集体经济增收渠道",
    "推动片区共同发展",
    "带动农民持续增收",
    "促进城乡融合发展",
    "助力缩小“三大差距”",
    "推动强村富民",
    "绘就共同富裕新画卷",
)
_TITLE_SLOGAN = ("抱团", "联营", "组团", "共富", "飞地", "山海", "运营", "山水")
_TOPICS = (
    "乡村片区组团发展",
    "新型农村集体经济发展",
    "农文旅融合发展",
    "强村富民",
    "城乡融合发展",
    "山海协作",
    "乡村运营",
    "共富工坊建设",
    "未来乡村建设",
)

# ---------------------------------------------------------------------------------------------
# Tags and figures
# ---------------------------------------------------------------------------------------------

_TAGS = (
    "党建联建",
    "抱团发展",
    "片区组团",
    "村集体经济",
    "强村公司",
    "共富工坊",
    "乡村运营",
    "农文旅融合",
    "山海协作",
    "未来乡村",
    "品牌共享",
    "多村合作",
    "利益联结",
    "土特产",
    "农创客",
    "青年入乡",
    "数字乡村",
    "飞地经济",
    "消薄飞地",
    "闲置农房盘活",
    "市场化运营",
    "研学旅游",
    "民宿经济",
    "农村电商",
    "多产业联动",
    "新农人",
    "乡贤回归",
    "直播带货",
    "固定收益",
    "品牌建设",
    "结对帮扶",
    "人居环境",
    "基层治理",
    "四治融合",
    "公共服务",
    "冷链物流",
    "客货邮融合",
    "共富市集",
    "共富大棚",
    "共富庭院",
    "零工市场",
    "以工代赈",
    "土地综合整治",
    "高标准农田",
    "生态产品价值实现",
    "美丽田园",
    "历史文化村落",
    "非遗传承",
    "文化赋能",
    "村晚",
    "村BA",
    "枫桥经验",
    "清廉村居",
    "养老助餐",
    "县域医共体",
    "共享教师",
    "以竹代塑",
    "农业标准地",
    "产权交易",
    "科技特派员",
    "科创飞地",
)

# label, unit, low, high, decimals, scaled with the place, reporting unit of the county
_FIGURES: tuple[tuple[str, str, float, float, int, bool, str], ...] = (
    ("村集体经营性收入", "万元", 30.0, 600.0, 1, True, "农业农村局"),
    ("农村居民人均可支配收入", "元", 28000.0, 62000.0, 0, False, "统计局"),
    ("接待游客", "万人次", 3.0, 120.0, 1, True, "文化和广电旅游体育局"),
    ("旅游收入", "亿元", 0.05, 3.0, 2, True, "文化和广电旅游体育局"),
    ("带动就业", "人", 30.0, 800.0, 0, True, "人力资源和社会保障局"),
    ("入驻农创客", "人", 5.0, 120.0, 0, True, "农业农村局"),
    ("投资额", "万元", 500.0, 20000.0, 1, True, "发展和改革局"),
    ("年固定收益", "万元", 20.0, 1200.0, 1, True, "农业农村局"),
)
_PARTIAL_MONTHS = (3, 6, 9, 9, 10, 11)
_CASE_SOURCES = (
    "农业农村局",
    "农业农村局",
    "农业农村局",
    "发展和改革局",
    "乡村振兴工作领导小组办公室",
    "人民政府办公室",
)


def _figure_sentence(c: _Ctx, k: int, period: str, text: str) -> str:
    """The outcome sentence that reports figure number ``k`` (an index into ``_FIGURES``)."""
    if k == 0:
        return f"{period}，{c.whole}村集体经营性收入达到{text}万元，{c.u(_TEMPORAL)}{c.f(8, 45)}%。"
    if k == 1:
        area = "全省" if c.scale == _COUNTY_SCALE else "全县"
        return f"{period}，农村居民人均可支配收入达{text}元，增速高于{area}平均水平{c.f(0.5, 3.5)}个百分点。"
    if k == 2:
        return f"{period}，累计接待游客{text}万人次，{c.u(_TEMPORAL)}{c.f(10, 60)}%。"
    if k == 3:
        return f"{period}，实现旅游收入{text}亿元，带动农产品销售{c.n(100, 2000)}万元。"
    if k == 4:
        return f"{period}，共带动周边村民就业{text}人，其中低收入农户{c.n(10, 90)}人。"
    if k == 5:
        return f"{period}，累计吸引{text}名农创客入驻，培育新业态{c.i(5, 40)}个。"
    if k == 6:
        return f"{period}，累计引入各类投资{text}万元，实施项目{c.i(5, 40)}个。"
    return f"{period}，参与村获得年固定收益{text}万元，村均增收{c.f(5, 40)}万元。"


def _split_place(place: str) -> tuple[str, str]:
    """'杭州市淳安县' -> ('杭州市', '淳安县'); a bare county name has no city part."""
    i = place.find("市")
    if 0 < i < len(place) - 1:
        return place[: i + 1], place[i + 1 :]
    return "", place


def _unit_of(name: str) -> str:
    if name.endswith("街道"):
        return "街道"
    last = name[-1:] if name else "村"
    if last in ("村", "镇", "乡", "县", "市", "区"):
        return last
    return "片区"


class SampleTextGenerator:
    """Writes synthetic cases; deterministic for a seed and the sequence of calls."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._ctx = _Ctx(self._rng.random)

    def case(self, place: str, village: str, model_type: str, themes: Sequence[str], year: int) -> SampleText:
        """One case for ``village`` (may be empty) in the county ``place``, reported in ``year``."""
        c = self._ctx
        r = c.r
        city, county = _split_place(place)
        v = village or county
        unit = _unit_of(v)
        theme_list = [t for t in themes if t] or [c.u(_TOPICS)]
        c.place = place
        c.city = city
        c.county = county
        c.v = v
        c.mt = model_type
        c.theme = theme_list[0]
        c.this = "该" + unit
        c.whole = "全" + unit
        c.scale = 1 if unit in ("村", "片区") else (4 if unit in ("镇", "乡", "街道") else _COUNTY_SCALE)
        c.year = year
        latin = r() < 0.17

        # -- title and subtitle
        prefix = county + village
        k = int(r() * 5)
        if k <= 1:
            title = f"{prefix}：以{c.p(_TITLE_MECH)}{c.u(_TITLE_GOAL)}"
        elif k == 2:
            title = f"{prefix}：以{model_type}{c.u(_TITLE_GOAL)}"
        elif k == 3:
            act, suffix = _TITLE_ACT[int(r() * len(_TITLE_ACT))]
            title = f"{prefix}{act}{model_type}{suffix} {c.u(_TITLE_EFFECT)}"
        else:
            title = f"{prefix}：念好“{c.u(_TITLE_SLOGAN)}”经 {c.u(_TITLE_EFFECT)}"
        k = int(r() * 4)
        if k == 0:
            subtitle = f"——{county}{c.theme}的实践探索"
        elif k == 1:
            subtitle = f"——{county}推进{c.u(_TOPICS)}的实践探索"
        elif k == 2:
            subtitle = f"——{city}{county}{village}{model_type}建设的调查与思考"
        else:
            subtitle = f"——来自{county}{village}的{model_type}探索"

        # -- basic situation
        target = 185 + int(r() * 100)
        loc = f"{v}位于{place}{c.u(_DIRECTIONS)}" if village else f"{place}位于浙江省{c.u(_DIRECTIONS)}"
        parts = [
            f"{loc}，距{'县城' if county.endswith('县') else '城区'}约{c.i(8, 90)}公里，{c.p(_TERRAIN)}。"
            if village
            else f"{loc}，距省城约{c.i(40, 260)}公里，{c.p(_TERRAIN)}。",
            _bs_population(c),
            _bs_problem(c),
        ]
        quoted = "“" + "”“".join(theme_list) + "”"
        turn = (
            f"{year - c.i(1, 5)}年以来，{v}{c.u(_TURN_VERBS)}{quoted}{c.u(_TURN_NOUNS)}，"
            f"以{model_type}为{c.u(_HANDLES)}，{c.p(_APPROACHES)}，{c.p(_GOALS)}。"
        )
        size = len(parts[0]) + len(parts[1]) + len(parts[2]) + len(turn)
        start = int(r() * len(_BS_EXTRA))
        j = 0
        while size < target and j < len(_BS_EXTRA):
            s = _BS_EXTRA[(start + j) % len(_BS_EXTRA)](c)
            parts.append(s)
            size += len(s)
            j += 1
        parts.append(turn)
        basic = "".join(parts)

        # -- practices
        target = 440 + int(r() * 260)
        n_measures = 3 + (target > 500) + (target > 640) + (r() < 0.3)
        chosen: list[int] = []
        while len(chosen) < n_measures:
            x = r()
            m = 0
            while _CATEGORY_CUM[m] < x:
                m += 1
            if m not in chosen:
                chosen.append(m)
        per = target // n_measures
        out: list[str] = []
        for idx, m in enumerate(chosen):
            heads, details = _CATEGORIES[m]
            head = f"{_ORDINALS[idx]}{c.p(heads)}。"
            out.append(head)
            size = len(head)
            nd = len(details)
            start = int(r() * nd)
            j = 0
            while size < per and j < nd:
                s = details[(start + j) % nd](c)
                out.append(s)
                size += len(s)
                j += 1
        if latin:
            out.append("同时，" + _LATIN[int(r() * len(_LATIN))](c))
        practices = "".join(out)

        # -- figures
        n_fig = 1 + int(r() * 4)
        picks: list[int] = []
        while len(picks) < n_fig:
            x = int(r() * 8)
            if x not in picks:
                picks.append(x)
        figures: list[SampleFigure] = []
        fig_sentences: list[str] = []
        last_month = 1
        for x in picks:
            label, unit_name, lo, hi, dec, scaled, bureau = _FIGURES[x]
            value = lo + r() * (hi - lo)
            if scaled:
                value *= c.scale
            if x == 1:
                value *= 1.0 + (year - 2019) * 0.06
            if dec == 0:
                value = float(int(value))
                text = str(int(value))
            elif dec == 1:
                value = round(value, 1)
                text = f"{value:.1f}"
            else:
                value = round(value, 2)
                text = f"{value:.2f}"
            q = r()
            if q < 0.5:
                period = f"{year - 1}年"
                month = 1 + int(r() * 4)
            elif q < 0.9 or x in (0, 1, 3):
                end = _PARTIAL_MONTHS[int(r() * len(_PARTIAL_MONTHS))]
                period = f"{year}年1-{end}月"
                month = end + 1
            else:
                period = f"{year - 1 - c.i(2, 4)}-{year - 1}年"
                month = 1 + int(r() * 4)
            last_month = max(last_month, month)
            src = f"{county}{bureau}，{year}年{month}月"
            figures.append(SampleFigure(label, value, unit_name, period, src))
            fig_sentences.append(_figure_sentence(c, x, period, text))

        # -- outcomes
        target = 268 + int(r() * 140)
        out = [_OUT_OPEN[int(r() * len(_OUT_OPEN))](c)]
        out.extend(fig_sentences)
        if latin and r() < 0.5:
            out.append(_LATIN[int(r() * len(_LATIN))](c))
        size = sum(len(s) for s in out)
        ne = len(_OUT_EXTRA)
        start = int(r() * ne)
        j = 0
        while size < target and j < ne:
            s = _OUT_EXTRA[(start + j) % ne](c)
            out.append(s)
            size += len(s)
            j += 1
        outcomes = "".join(out)

        # -- lessons
        target = 180 + int(r() * 100)
        out = []
        size = 0
        if r() < 0.5:
            s = _LESSON_OPEN[int(r() * len(_LESSON_OPEN))](c)
            out.append(s)
            size = len(s)
        nl = len(_LESSONS)
        start = int(r() * nl)
        step = 1 + int(r() * 3)  # 1..3, all coprime with the 11 lessons
        j = 0
        while (size < target or j < 3) and j < 5:
            s = f"{_ORDINALS[j]}{_LESSONS[(start + j * step) % nl](c)}"
            out.append(s)
            size += len(s)
            j += 1
        if len(theme_list) > 1:
            out.append(f"这些做法对推进“{'”“'.join(theme_list[1:])}”同样具有借鉴意义。")
        lessons = "".join(out)

        # -- tags
        n_tags = 3 + int(r() * 4)
        tags: list[str] = []
        while len(tags) < n_tags:
            tag = c.p(_TAGS)
            if tag not in tags:
                tags.append(tag)

        source = f"{county}{c.u(_CASE_SOURCES)}，{year}年{last_month + int(r() * (13 - last_month))}月"
        return SampleText(
            title=title,
            subtitle=subtitle,
            basic_situation=basic,
            practices=practices,
            outcomes=outcomes,
            lessons=lessons,
            tags=tuple(tags),
            figures=tuple(figures),
            source=source,
        )
