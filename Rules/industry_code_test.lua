-- 行业代码规范化 (lib/baoan.lua industry_code) 的用例: 划型 (FIN-02 小微)、三产/制造业 (RENT-02)、
-- 四上入库标准 (GRO-04) 都先去首尾空白、转大写; 没有门类字母的代码不猜门类, 缺 industry_section 时待定。
return {
  {
    name = "小写 e4710 是建筑业, 不是服务业: 不符合租金减免",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00109X", name = "深圳市宝安建工程有限公司", subject_type = "enterprise",
                industry_code = "e4710", employees = 30, revenue = 2000, total_assets = 1500,
                state_owned_premises = true, monthly_rent = 15000, dishonest = false },
    expect = { ["RENT-02"] = { outcome = "ineligible", reasons = { "个体工商户, 或制造业、服务业小微企业" } } },
  },
  {
    name = "纯数字 4710 没有门类字母: 不当作三产, 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00109X", name = "深圳市宝安建工程有限公司", subject_type = "enterprise",
                industry_code = "4710", employees = 30, revenue = 2000, total_assets = 1500,
                state_owned_premises = true, monthly_rent = 15000, dishonest = false },
    expect = { ["RENT-02"] = { outcome = "undetermined",
                               reasons = { "个体工商户, 或制造业、服务业小微企业: 缺少数据 行业代码门类字母(industry_section)" } },
               ["FIN-02"] = { outcome = "undetermined",
                              reasons = { "小型或微型企业: 缺少数据 行业代码门类字母(industry_section)" } } },
  },
  {
    name = "纯数字 4710 另填门类字母 建筑业: 按 E4710 归类",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00109X", name = "深圳市宝安建工程有限公司", subject_type = "enterprise",
                industry_code = "4710", industry_section = "建筑业", employees = 30, revenue = 2000, total_assets = 1500,
                state_owned_premises = true, monthly_rent = 15000, dishonest = false },
    expect = { ["RENT-02"] = { outcome = "ineligible", reasons = { "个体工商户, 或制造业、服务业小微企业" } },
               ["FIN-02"] = "eligible" },
  },
  {
    name = "小写 c2929 是制造业: 按规上工业2000万元标准, 营收1800万元入准四上",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H001103", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                industry_code = "c2929", revenue = 1800, above_scale = false },
    expect = { ["GRO-04"] = "eligible" },
  },
  {
    name = "前后有空格的 C3981 按工业划型: 150人、营收1000万元为小型",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H001116", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                industry_code = " C3981 ", employees = 150, revenue = 1000, dishonest = false },
    expect = { ["FIN-02"] = "eligible", ["FIN-06"] = "eligible" },
  },
}
