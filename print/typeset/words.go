package typeset

// words are the Chinese words of the printed texts (the cost items and
// their legal basis, the leaflets, the cards, the house sheets and the map
// sheets) that a line must not end inside: 施行 / 诉讼 / 身体 split as
// 起施 / 行 reads as a misprint. Chinese may otherwise break between any
// two characters; a word here only takes that chance away inside itself,
// and a word wider than the line alone is still split (Break reports no
// overflow for it: the text would have broken there anyway). Where two
// words overlap (处罚 and 罚款 in 并处罚款) neither is split. Up to
// maxWordLen characters each.
var words = []string{
	// laws and their citation
	"施行", "修订", "修正", "通过", "法律", "依据", "法典", "刑法", "民法", "办法", "规定", "解释",
	"条例", "决定", "治安", "管理", "处罚", "罚款", "拘留", "拘役", "管制", "有期徒刑", "无期徒刑",
	"徒刑", "死刑", "犯罪", "构成", "刑事", "责任", "诉讼", "费用", "交纳", "国务院", "最高",
	"人民", "法院", "检察院", "公安", "机关", "派出所", "警务室", "民警", "辅警", "村警", "网格员",
	"核实", "核对", "日期", "数额", "以上", "以下", "或者", "并处", "可以", "情节", "较轻", "较重",
	"从重", "减轻", "违法", "不法", "侵害", "制止", "限度", "损害", "行为", "正在", "进行",
	"全国", "人大", "常委会", "会议", "中华", "共和国", "修正案", "适用", "关于", "若干", "问题",
	"审理", "案件", "判决", "调解", "和解", "附带", "民事", "记录", "案底", "公务员", "政审",
	"考核", "参军", "报考", "岗位", "影响", "录用", "征兵", "政治",
	// fighting and its cost
	"殴打", "故意", "伤害", "他人", "身体", "结伙", "斗殴", "聚众", "寻衅滋事", "寻衅", "滋事",
	"残疾", "孕妇", "周岁", "多次", "多人", "轻伤", "重伤", "轻微", "死亡", "特别", "残忍",
	"手段", "造成", "严重", "混乱", "公共", "场所", "首要", "分子", "积极", "参加", "破坏",
	"社会", "秩序", "纠集", "持械", "报复", "双方", "对方", "赔偿", "医疗", "护理", "误工",
	"交通", "营养", "住院", "伙食", "补助", "辅助", "器具", "赔偿金", "律师", "官司", "耽误",
	"工钱", "负担", "期间", "回家", "干活", "老小", "担惊受怕", "工作", "生意", "邻里", "乡亲",
	"面前", "脸面", "监狱", "老人", "孩子", "照顾", "子女", "收入", "减少", "生活", "冷静",
	"有话好说", "动手", "代价", "成本", "警示", "冲动", "一时", "一世", "待核实", "上述", "情形",
	"从重处罚",
	// contact, venues, people
	"电话", "报警", "紧急", "情况", "请拨打", "拨打", "社区", "联系", "扫码", "姓名", "手机",
	"户主", "地址", "门牌", "村委会", "小卖部", "诊所", "饭店", "超市", "学校", "卫生室",
	"党员", "留守", "独居", "空巢", "儿童", "网格", "重点", "关注", "走访", "回访", "人口",
	"户籍", "身份证", "号码", "房屋", "自住", "出租", "空置", "住宅", "平房", "楼房", "砖混",
	"结构", "面积", "用途", "类型", "状态", "备注", "关系", "职业", "务工", "内部", "资料",
	"妥善", "保管", "打印", "分布图", "索引", "比例尺", "图例", "指北",
	// leaflets
	"安全", "须知", "防火", "消防", "火灾", "灭火器", "电动车", "电动自行车", "充电", "充电器",
	"楼道", "电线", "插座", "电器", "燃气", "阀门", "开窗", "通风", "室外", "柴草", "秸秆",
	"杂物", "焚烧", "吸烟", "烟头", "祭祀", "打火机", "火柴", "教育", "毛巾", "扑救", "保险",
	"火焰", "根部", "呼救", "阳台", "窗口", "消防车", "道路", "车辆", "防盗", "提醒", "现金",
	"密码", "验证码", "财物", "陌生人", "陌生", "钱包", "背包", "口袋", "摩托车", "钥匙",
	"监控", "贵重", "物品", "挂失", "冻结", "微信", "支付宝", "银行卡", "现场", "追回",
	"诈骗", "电信", "网络", "转账", "账户", "贷款", "刷单", "返利", "中奖", "退款", "理赔",
	"短信", "链接", "下载", "软件", "屏幕", "共享", "钥匙", "骗局", "冒充", "客服", "快递",
	"会员", "扣费", "提示", "操作", "熟人", "领导", "借钱", "头像", "声张", "孙辈", "车祸",
	"投资", "高额", "游戏", "追星", "交友", "交易", "充值", "解冻", "底线", "当面", "出租",
	"出借", "出售", "骗子", "安装", "国家", "反诈", "中心", "来电", "接听", "立即", "止付",
	"保存", "聊天", "删除", "往往", "溺水", "游泳", "珍爱", "生命", "坑塘", "河道", "水库",
	"危险", "家长", "老师", "带领", "设施", "救援", "人员", "水域", "熟悉", "水性", "施救",
	"放学", "周末", "假期", "玩耍", "冰面", "水缸", "水桶", "洗澡", "竹竿", "绳子", "木板",
	"救生圈", "保持", "呼吸", "抽筋", "擅自", "私自", "结伴", "水面", "医护", "明显", "现在",
	"不要", "不能", "直接", "压下", "电梯", "没有", "安全账户", "退款理赔", "先别声张", "帮忙",
	"趁机", "人身", "逃跑", "一把", "输了", "抢救", "附近", "标志", "怎样", "怎么", "需要",
	"畅通", "保险销", "喷管", "对准", "口鼻", "弯腰", "低姿", "回头", "东西", "门缝", "就地",
	"打滚", "火苗", "一口气", "有没有", "身边", "姿势", "时间", "手把", "脚趾", "身体",
}

// maxWordLen is the longest word in words, in characters.
const maxWordLen = 5

type wordKey [maxWordLen]rune

// wordSet holds the words; firstLen the longest word starting with each
// first character (most characters start none, and are passed by one
// lookup).
var wordSet, firstLen = func() (map[wordKey]bool, map[rune]int) {
	m, first := map[wordKey]bool{}, map[rune]int{}
	for _, w := range words {
		var k wordKey
		rs := []rune(w)
		if len(rs) < 2 || len(rs) > maxWordLen {
			continue // TestWords keeps the list right
		}
		copy(k[:], rs)
		m[k] = true
		first[rs[0]] = max(first[rs[0]], len(rs))
	}
	return m, first
}()

// Chinese numerals, and the 第 of an ordinal.
func isHanNumeral(r rune) bool {
	switch r {
	case '零', '〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '亿', '两':
		return true
	}
	return false
}

// inWord marks, for each i > 0, whether rs[i-1] and rs[i] lie inside one
// word (words, or a number in Chinese numerals with its 第 and its unit:
// 第二百三十四条, 十五日, 七十周岁). nil when there is none.
func inWord(rs []rune) []bool {
	var mark []bool
	set := func(from, to int) { // rs[from:to] is one word
		if mark == nil {
			mark = make([]bool, len(rs))
		}
		for j := from + 1; j < to; j++ {
			mark[j] = true
		}
	}
	for i := 0; i < len(rs); i++ {
		if rs[i] < 0x2E80 {
			continue
		}
		var k wordKey
		for n := 1; n <= firstLen[rs[i]] && i+n <= len(rs); n++ {
			k[n-1] = rs[i+n-1]
			if n >= 2 && wordSet[k] {
				set(i, i+n)
			}
		}
		// A Chinese number: 第, the numerals, a unit.
		j := i
		if rs[j] == '第' {
			j++
		}
		if j > i && (j >= len(rs) || !isHanNumeral(rs[j])) {
			continue // 第 alone
		}
		if j == i && (i > 0 && isHanNumeral(rs[i-1])) {
			continue // inside a number already seen
		}
		e := j
		for e < len(rs) && isHanNumeral(rs[e]) {
			e++
		}
		if e == j {
			continue
		}
		e += unitAt(rs[e:])
		if e-i >= 2 {
			set(i, e)
		}
	}
	return mark
}
