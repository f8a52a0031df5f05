[package]
name = "web"
edition = "v0.9.0"
version = "1.0.0"
