-- GRO-03 个体工商户分型精准帮扶 (成长型、发展型)
-- 国市监注发〔2024〕10号 及《个体工商户分型分类精准帮扶总体方案(试行)》(domain §2.3):
-- 按存续时间、经营状况、纳税情况、雇员人数分为生存型、成长型、发展型。
--   成长型: 稳定持续经营, 有少量雇员或实际缴纳过税款;
--   发展型: 规模较大, 有一定纳税贡献或较强吸纳就业能力, 营业收入较高。
-- 数值门槛由各省设定 (资料未找到), 全部放在参数中 (待核实)。生存型不属本项帮扶对象。
-- 用 evaluate: 分型是逐级判断, 理由写明分型结果。
return {
  id = "growth.individual-tiering",
  service = "GRO-03",
  subjects = { "individual" },
  evaluate = function(p, ctx)
    local prm = ctx.params
    local years = years_between(p.established_on, ctx.as_of)
    local employees = p.employees
    local taxed = p.tax_paid_last_year

    if years >= prm.development_min_years
      and (employees >= prm.development_min_employees or taxed)
      and p.revenue >= prm.development_min_revenue then
      return eligible(string.format("发展型个体工商户: 经营%d年, 雇员%d人, 年营业收入%.0f万元", years, employees, p.revenue))
    end
    if years >= prm.growth_min_years and (employees >= prm.growth_min_employees or taxed) then
      return eligible(string.format("成长型个体工商户: 经营%d年, 雇员%d人%s", years, employees,
        taxed and ", 上年度有实际纳税" or ""))
    end
    return ineligible(string.format("生存型个体工商户(经营%d年, 雇员%d人, %s), 不属本项帮扶对象", years, employees,
      taxed and "有纳税" or "未纳税"))
  end,
  score = 5,
}
