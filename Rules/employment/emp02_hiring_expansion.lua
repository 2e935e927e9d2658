-- EMP-02 一次性扩岗补助 (domain F10)
-- 招用毕业年度或离校2年内未就业高校毕业生、16-24岁登记失业青年, 签订劳动合同并缴纳失业、工伤、养老保险,
-- 每人最高1500元。参保月数要求 min_insured_months 按2023年全国规定为满1个月; domain F10 的"满3个月"
-- 是河南唐河县2025年通知, 不适用于深圳。
return {
  id = "emp.hiring-expansion",
  service = "EMP-02",
  subjects = { "enterprise", "individual", "market" },
  conditions = {
    { "近12个月招用高校毕业生或16-24岁登记失业青年", function(p) return p.youth_hires >= 1 end },
    { "已为新招用人员缴纳社保满规定月数", function(p, ctx)
        return p.youth_min_insured_months >= ctx.params.min_insured_months
      end },
  },
  amount = function(p, ctx) return p.youth_hires * ctx.params.per_person end,
  score = 6,
}
