package synth

// Name tables used by synth.Village for householder names. They are real
// data: the most common Chinese surnames (公安部 2020 户籍姓氏 ranking, top
// 40) and characters frequent in rural given names of the generations
// born 1940–2000.

var commonSurnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹",
	"彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余",
}

var givenChars = []string{
	"建", "国", "明", "华", "平", "军", "伟", "强", "德", "福",
	"贵", "春", "秀", "兰", "英", "芳", "桂", "梅", "玉", "珍",
	"海", "东", "文", "志", "刚", "永", "庆", "金", "宝", "山",
	"林", "忠", "红", "霞", "丽", "凤", "云", "荣", "小", "长",
	"新", "卫", "保", "胜", "利", "成", "学", "生", "光", "友",
}
