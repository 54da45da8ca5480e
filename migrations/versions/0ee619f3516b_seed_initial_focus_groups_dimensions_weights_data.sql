-- Revision ID: 0ee619f3516b
-- Revises: dadf308f3867
-- Create Date: 2026-02-11 14:05:09
-- Message: seed initial focus groups/dimensions/weights data
--
-- Six sector focus groups, seven AI-readiness dimensions and the weight of
-- every dimension in every focus group; each focus group's weights sum to 1.
-- Rows are matched by code, never by generated id.

-- migrate:upgrade
INSERT INTO focus_groups (code, name, description) VALUES
    ('software_technology', 'Software & Technology', 'SaaS, IT services and technology-enabled businesses.'),
    ('healthcare_life_sciences', 'Healthcare & Life Sciences', 'Providers, payers, medtech, pharma services and life-science tools.'),
    ('financial_services', 'Financial Services', 'Banks, insurers, asset managers, payments and fintech.'),
    ('industrials_manufacturing', 'Industrials & Manufacturing', 'Discrete and process manufacturing, engineering and logistics.'),
    ('consumer_retail', 'Consumer & Retail', 'Consumer brands, retail, e-commerce and hospitality.'),
    ('business_services', 'Business Services', 'Professional, outsourced and tech-enabled business services.');

INSERT INTO dimensions (code, name, description, display_order) VALUES
    ('data_infrastructure', 'Data Infrastructure', 'Quality, accessibility, integration and governance of the data AI depends on.', 1),
    ('technology_stack', 'Technology Stack', 'Cloud, platforms, MLOps and the architecture to build and run AI in production.', 2),
    ('talent_skills', 'Talent & Skills', 'Data, engineering and AI skills in house, and the ability to hire and upskill.', 3),
    ('leadership_strategy', 'Leadership & Strategy', 'Executive sponsorship and an AI strategy tied to the value-creation plan.', 4),
    ('governance_risk', 'AI Governance & Risk', 'Policies, model risk management, privacy, security and regulatory compliance.', 5),
    ('use_case_portfolio', 'Use-Case Portfolio', 'A prioritised pipeline of AI use cases with measured business value.', 6),
    ('culture_change', 'Culture & Change Management', 'Adoption, change management and a data-driven way of working.', 7);

INSERT INTO focus_group_dimension_weights (focus_group_id, dimension_id, weight)
SELECT fg.id, d.id, w.weight
FROM (VALUES
    ('software_technology', 'data_infrastructure', 0.20),
    ('software_technology', 'technology_stack', 0.20),
    ('software_technology', 'talent_skills', 0.20),
    ('software_technology', 'leadership_strategy', 0.10),
    ('software_technology', 'governance_risk', 0.10),
    ('software_technology', 'use_case_portfolio', 0.10),
    ('software_technology', 'culture_change', 0.10),
    ('healthcare_life_sciences', 'data_infrastructure', 0.20),
    ('healthcare_life_sciences', 'technology_stack', 0.10),
    ('healthcare_life_sciences', 'talent_skills', 0.15),
    ('healthcare_life_sciences', 'leadership_strategy', 0.10),
    ('healthcare_life_sciences', 'governance_risk', 0.25),
    ('healthcare_life_sciences', 'use_case_portfolio', 0.10),
    ('healthcare_life_sciences', 'culture_change', 0.10),
    ('financial_services', 'data_infrastructure', 0.20),
    ('financial_services', 'technology_stack', 0.15),
    ('financial_services', 'talent_skills', 0.15),
    ('financial_services', 'leadership_strategy', 0.10),
    ('financial_services', 'governance_risk', 0.20),
    ('financial_services', 'use_case_portfolio', 0.10),
    ('financial_services', 'culture_change', 0.10),
    ('industrials_manufacturing', 'data_infrastructure', 0.20),
    ('industrials_manufacturing', 'technology_stack', 0.20),
    ('industrials_manufacturing', 'talent_skills', 0.10),
    ('industrials_manufacturing', 'leadership_strategy', 0.15),
    ('industrials_manufacturing', 'governance_risk', 0.05),
    ('industrials_manufacturing', 'use_case_portfolio', 0.15),
    ('industrials_manufacturing', 'culture_change', 0.15),
    ('consumer_retail', 'data_infrastructure', 0.25),
    ('consumer_retail', 'technology_stack', 0.15),
    ('consumer_retail', 'talent_skills', 0.10),
    ('consumer_retail', 'leadership_strategy', 0.15),
    ('consumer_retail', 'governance_risk', 0.05),
    ('consumer_retail', 'use_case_portfolio', 0.20),
    ('consumer_retail', 'culture_change', 0.10),
    ('business_services', 'data_infrastructure', 0.15),
    ('business_services', 'technology_stack', 0.15),
    ('business_services', 'talent_skills', 0.20),
    ('business_services', 'leadership_strategy', 0.15),
    ('business_services', 'governance_risk', 0.10),
    ('business_services', 'use_case_portfolio', 0.10),
    ('business_services', 'culture_change', 0.15)
) AS w (focus_group_code, dimension_code, weight)
JOIN focus_groups fg ON fg.code = w.focus_group_code
JOIN dimensions d ON d.code = w.dimension_code;

-- Refuse to commit a seed whose weights miss a dimension or do not sum to 1.
DO $$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(code, ', ' ORDER BY code) INTO bad
    FROM (
        SELECT fg.code
        FROM focus_groups fg
        LEFT JOIN focus_group_dimension_weights w ON w.focus_group_id = fg.id
        WHERE fg.code IN ('software_technology', 'healthcare_life_sciences', 'financial_services',
                          'industrials_manufacturing', 'consumer_retail', 'business_services')
        GROUP BY fg.code
        HAVING coalesce(sum(w.weight), 0) <> 1 OR count(w.dimension_id) <> (SELECT count(*) FROM dimensions)
    ) AS unbalanced;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'focus group weights must cover every dimension and sum to 1: %', bad;
    END IF;
END;
$$;

-- migrate:downgrade
DELETE FROM focus_group_dimension_weights w
USING focus_groups fg, dimensions d
WHERE w.focus_group_id = fg.id
  AND w.dimension_id = d.id
  AND fg.code IN ('software_technology', 'healthcare_life_sciences', 'financial_services',
                  'industrials_manufacturing', 'consumer_retail', 'business_services')
  AND d.code IN ('data_infrastructure', 'technology_stack', 'talent_skills', 'leadership_strategy',
                 'governance_risk', 'use_case_portfolio', 'culture_change');

DELETE FROM dimensions
WHERE code IN ('data_infrastructure', 'technology_stack', 'talent_skills', 'leadership_strategy',
               'governance_risk', 'use_case_portfolio', 'culture_change');

DELETE FROM focus_groups
WHERE code IN ('software_technology', 'healthcare_life_sciences', 'financial_services',
               'industrials_manufacturing', 'consumer_retail', 'business_services');
