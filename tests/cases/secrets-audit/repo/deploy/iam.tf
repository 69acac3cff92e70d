resource "aws_iam_role_policy_attachment" "deploy" {
  role       = "deploy"
  policy_arn = "arn:aws:iam::123456789012:policy/service-deploy"
}
