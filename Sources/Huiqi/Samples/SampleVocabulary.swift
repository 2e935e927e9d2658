/// The reference data sample profiles are drawn from: Bao'an's streets, a Bao'an-like industry
/// mix (GB/T 4754-2017 小类 codes) and the words Chinese business names are made of.
/// Facts come from `shared/data/domain.md` §4; the weights are plausible, not statistics.
enum SampleVocabulary {
    /// The 10 streets of Bao'an (since the 2016 split), in the district's usual order.
    static let streets = ["新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"]

    /// Street weights for manufacturers: the industrial west and north (沙井, 松岗, 福永, 新桥…).
    static let manufacturingStreetWeights = [3, 8, 6, 13, 11, 15, 12, 13, 9, 10]
    /// Street weights for everyone else: more of the central 新安 and 西乡.
    static let otherStreetWeights = [15, 16, 9, 10, 7, 12, 7, 9, 5, 10]

    /// One industry a sample business can be in (derived facts are stored: they are read per row).
    struct Industry: Sendable {
        /// GB/T 4754-2017 小类, e.g. `C3982`.
        let code: String
        let weight: Int
        /// Words that follow the 字号 in a name: `电子科技` (enterprise) or `五金店` (individual).
        let nameWords: [String]
        /// Median headcount for enterprises in this industry.
        let medianEmployees: Double
        /// Revenue per employee, 万元/year.
        let revenuePerEmployee: Double
        /// 门类 letter as ASCII (`C` for manufacturing).
        let section: UInt8
        /// R&D-intensive: electronics, electrical, instruments, software, research.
        let isTech: Bool
        /// 批发业 (F51).
        let isWholesale: Bool
        /// Revenue (万元) from which a business counts as 规上/四上.
        let aboveScaleThreshold: Double

        init(code: String, weight: Int, nameWords: [String], medianEmployees: Double, revenuePerEmployee: Double) {
            self.code = code
            self.weight = weight
            self.nameWords = nameWords
            self.medianEmployees = medianEmployees
            self.revenuePerEmployee = revenuePerEmployee
            section = code.utf8.first ?? UInt8(ascii: "Z")
            isTech = ["C38", "C39", "C40", "C34", "C35", "I65", "M73", "M74"].contains { code.hasPrefix($0) }
            isWholesale = code.hasPrefix("F51")
            aboveScaleThreshold = SampleVocabulary.aboveScaleThreshold(code)
        }
    }

    /// 规上/四上 revenue thresholds (万元) by industry (domain.md §2.2: 工业 2000, wholesale 2000,
    /// retail 500, 住宿餐饮 200, 租赁商务/科研/物业 1000, 居民服务 500, 交通/信息 2000).
    static func aboveScaleThreshold(_ code: String) -> Double {
        switch code.first {
        case "B", "C", "D", "E", "G", "I": return 2000
        case "F": return code.hasPrefix("F51") ? 2000 : 500
        case "H": return 200
        case "K", "L", "M": return 1000
        case "O": return 500
        default: return 2000
        }
    }

    private static func industry(_ code: String, _ weight: Int, _ words: [String], employees: Double = 4,
                                 perEmployee: Double = 20) -> Industry {
        Industry(code: code, weight: weight, nameWords: words, medianEmployees: employees, revenuePerEmployee: perEmployee)
    }

    /// Enterprises: heavy on electronics and metal/plastic manufacturing, then wholesale and services.
    static let enterpriseIndustries: [Industry] = [
        industry("C3982", 6, ["电子科技", "电路科技", "线路板"], employees: 10, perEmployee: 22),
        industry("C3981", 5, ["电子科技", "电子", "元器件"], employees: 9, perEmployee: 22),
        industry("C3976", 3, ["光电科技", "光电"], employees: 9, perEmployee: 24),
        industry("C3984", 2, ["电声科技", "声学科技"], employees: 9, perEmployee: 20),
        industry("C3922", 3, ["通讯科技", "通信设备"], employees: 10, perEmployee: 28),
        industry("C3831", 2, ["线缆", "电线电缆"], employees: 9, perEmployee: 30),
        industry("C3841", 3, ["新能源科技", "电池科技"], employees: 12, perEmployee: 30),
        industry("C3872", 2, ["照明科技", "灯饰"], employees: 8, perEmployee: 18),
        industry("C3311", 3, ["五金制品", "钢结构"], employees: 8, perEmployee: 18),
        industry("C3360", 2, ["表面处理", "电镀"], employees: 8, perEmployee: 15),
        industry("C3484", 4, ["精密机械", "精密五金", "机械设备"], employees: 9, perEmployee: 18),
        industry("C3525", 2, ["模具", "精密模具"], employees: 8, perEmployee: 16),
        industry("C2929", 4, ["塑胶制品", "塑胶五金"], employees: 8, perEmployee: 16),
        industry("C2438", 1, ["珠宝首饰", "首饰"], employees: 5, perEmployee: 40),
        industry("C1819", 1, ["服饰", "制衣"], employees: 8, perEmployee: 10),
        industry("C2231", 2, ["包装制品", "纸品包装"], employees: 7, perEmployee: 15),
        industry("F5179", 6, ["电子贸易", "供应链", "电子商贸"], employees: 3, perEmployee: 60),
        industry("F5174", 3, ["五金贸易", "五金机电"], employees: 3, perEmployee: 50),
        industry("F5176", 2, ["计算机科技", "数码科技"], employees: 3, perEmployee: 55),
        industry("F5177", 2, ["通讯器材", "通讯贸易"], employees: 3, perEmployee: 55),
        industry("F5132", 2, ["服装贸易", "服饰贸易"], employees: 3, perEmployee: 45),
        industry("F5212", 2, ["商业连锁", "超市"], employees: 8, perEmployee: 30),
        industry("F5292", 3, ["电子商务", "网络科技"], employees: 3, perEmployee: 40),
        industry("F5261", 1, ["汽车销售服务", "汽车贸易"], employees: 10, perEmployee: 80),
        industry("I6513", 4, ["软件科技", "信息技术", "网络科技"], employees: 6, perEmployee: 30),
        industry("I6520", 1, ["微电子", "芯片设计"], employees: 8, perEmployee: 40),
        industry("I6531", 2, ["智能科技", "信息系统"], employees: 5, perEmployee: 30),
        industry("L7212", 3, ["投资", "投资管理"], employees: 2, perEmployee: 40),
        industry("L7259", 2, ["广告", "文化传播"], employees: 3, perEmployee: 25),
        industry("L7221", 2, ["产业园管理", "物业发展"], employees: 6, perEmployee: 30),
        industry("M7320", 2, ["技术研究", "科技研发"], employees: 6, perEmployee: 20),
        industry("M7452", 2, ["检测技术", "检测"], employees: 6, perEmployee: 20),
        industry("M7491", 2, ["工业设计", "设计"], employees: 4, perEmployee: 20),
        industry("G5431", 2, ["物流", "运输"], employees: 5, perEmployee: 30),
        industry("G5821", 2, ["国际货运代理", "供应链管理"], employees: 4, perEmployee: 50),
        industry("G6020", 1, ["快递", "速递"], employees: 10, perEmployee: 12),
        industry("E5011", 2, ["装饰工程", "建筑装饰"], employees: 8, perEmployee: 35),
        industry("E4910", 1, ["机电安装", "电气工程"], employees: 8, perEmployee: 35),
        industry("E4813", 1, ["市政工程", "建设工程"], employees: 12, perEmployee: 40),
        industry("H6210", 2, ["餐饮管理", "餐饮"], employees: 8, perEmployee: 12),
        industry("K7020", 2, ["物业管理", "物业服务"], employees: 12, perEmployee: 10),
        industry("O8111", 1, ["汽车服务", "汽车维修"], employees: 4, perEmployee: 12),
    ]

    /// 个体工商户: shops, eateries and neighbourhood services, a few workshops.
    static let individualIndustries: [Industry] = [
        industry("F5212", 6, ["超市", "便利超市"]),
        industry("F5213", 6, ["便利店"]),
        industry("F5223", 6, ["水果店", "果蔬店", "蔬菜店"]),
        industry("F5224", 5, ["肉菜店", "海鲜档", "粮油店"]),
        industry("F5226", 5, ["烟酒商行", "茶行", "烟酒店"]),
        industry("F5232", 6, ["服装店", "服饰商行"]),
        industry("F5274", 4, ["手机店", "通讯店"]),
        industry("F5281", 5, ["五金店", "五金商行"]),
        industry("F5123", 2, ["果蔬批发部", "商行"]),
        industry("H6210", 14, ["餐馆", "饭店", "酒家"]),
        industry("H6220", 10, ["快餐店", "餐馆"]),
        industry("H6231", 2, ["茶馆", "茶饮店"]),
        industry("H6291", 4, ["小吃店", "粉面店"]),
        industry("O8040", 7, ["理发店", "美发店"]),
        industry("O8030", 2, ["洗衣店"]),
        industry("O8111", 3, ["汽车维修店", "汽修店"]),
        industry("O8131", 3, ["家电维修部"]),
        industry("O8121", 2, ["电脑维修部"]),
        industry("O8010", 3, ["家政服务部"]),
        industry("C1819", 2, ["制衣厂"]),
        industry("C3311", 2, ["五金加工厂"]),
        industry("C2438", 1, ["首饰加工店"]),
    ]

    /// 专业市场 operators: market management (L7223).
    static let marketIndustries: [Industry] = [
        industry("L7223", 1, ["专业市场"], employees: 25, perEmployee: 30),
    ]

    static let enterpriseWeights = enterpriseIndustries.map(\.weight)
    static let individualWeights = individualIndustries.map(\.weight)
    static let marketWeights = marketIndustries.map(\.weight)

    /// What a 专业市场 trades in, as its name says.
    static let marketGoods = ["电子", "五金", "建材", "水果", "服装", "灯饰", "家具", "海鲜", "小商品", "塑胶原料",
                              "模具", "花卉", "茶叶", "布料", "农产品"]

    /// Characters 字号 are made of (auspicious, common in Shenzhen firm names).
    static let nameCharacters: [String] = Array(
        "华鑫达通宏兴盛泰利恒富佳新创源鸿丰博嘉隆瑞祥和信海德金永安康顺发正远辉明亿联优捷科迅凯美景乐天汇诚宇"
            + "辰星晟昌荣威邦晶光耀锦誉腾飞展弘晖振世中同合力众益群宝龙骏洋腾升皓峰成铭晨骏睿卓越卓立贤俊佳广"
    ).map(String.init)

    /// Tags a business may carry (`;`-separated in CSV).
    static let tagHighTech = "高新技术"
    static let tagSpecialized = "专精特新"
    static let tagExport = "出口"
    static let tagForeign = "外资"
    static let tagTechSME = "科技型中小企业"
    static let tagIndividualToEnterprise = "个转企"
    static let tagPriorityGroup = "重点群体创业"
    static let tagChain = "连锁经营"
    static let tagOnline = "电商"
    /// Invested in by a sub-fund of the district guidance fund (read by FIN-08 股权投资奖励).
    static let tagGuidedFund = "区引导基金子基金投资"
    /// RWD-01's tags (catalog params province_top100_tag / city_top100_tag).
    static let tagProvinceTop100 = "首次进入省百强"
    static let tagCityTop100 = "首次进入市百强"
}
